//! libpq connection parameters: parsing the two forms of connection string, and filling what
//! they leave out from a service file, the environment and the defaults.

use std::collections::BTreeMap;

/// Connection parameters by libpq keyword (`host`, `port`, `dbname`, `sslmode`, …), each with
/// its value as a string, exactly as libpq keeps them. Keys are always canonical keywords
/// (URI aliases such as `ssl=true` are translated when parsed).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Params {
    values: BTreeMap<String, String>,
}

impl Params {
    pub fn get(&self, keyword: &str) -> Option<&str> {
        self.values.get(keyword).map(String::as_str)
    }

    pub fn set(&mut self, keyword: &str, value: impl Into<String>) {
        self.values.insert(keyword.to_string(), value.into());
    }

    pub fn remove(&mut self, keyword: &str) -> Option<String> {
        self.values.remove(keyword)
    }

    pub fn iter(&self) -> impl Iterator<Item = (&str, &str)> {
        self.values.iter().map(|(k, v)| (k.as_str(), v.as_str()))
    }
}
