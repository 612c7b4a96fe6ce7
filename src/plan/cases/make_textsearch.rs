//! Changes of the fixtures' text search dictionaries and configurations, and publications.

use super::fixtures::*;
use crate::plan::change::Change;

pub fn create_ts_dictionary() -> Change {
    Change::CreateTsDictionary {
        name: q("plain_dict"),
        def: plain_dict(),
    }
}

pub fn drop_ts_dictionary() -> Change {
    Change::DropTsDictionary {
        name: q("stem_dict"),
        def: stem_dict(),
    }
}

/// `app.stem_dict` gains a stop word list.
pub fn alter_ts_dictionary() -> Change {
    let mut to = stem_dict();
    to.options.insert("stopwords".into(), "english".into());
    Change::AlterTsDictionary {
        name: q("stem_dict"),
        from: stem_dict(),
        to,
    }
}

pub fn create_ts_configuration() -> Change {
    Change::CreateTsConfiguration {
        name: q("titles"),
        def: titles_config(),
    }
}

pub fn drop_ts_configuration() -> Change {
    Change::DropTsConfiguration {
        name: q("search"),
        def: search_config(),
    }
}

/// `app.search` maps ASCII words to the new `app.plain_dict` instead of `app.stem_dict`.
pub fn alter_ts_configuration() -> Change {
    Change::AlterTsConfiguration {
        name: q("search"),
        from: search_config(),
        to: configuration(&[("asciiword", &["app.plain_dict"]), ("word", &["simple"])]),
    }
}

/// `accounts_pub`, of the new table `accounts`.
pub fn create_publication() -> Change {
    Change::CreatePublication {
        name: "accounts_pub".into(),
        def: publication(&["accounts"]),
    }
}

pub fn drop_publication() -> Change {
    Change::DropPublication {
        name: "orders_pub".into(),
        def: publication(&["orders"]),
    }
}

/// `orders_pub` publishes `users` too.
pub fn alter_publication() -> Change {
    Change::AlterPublication {
        name: "orders_pub".into(),
        from: publication(&["orders"]),
        to: publication(&["orders", "users"]),
    }
}
