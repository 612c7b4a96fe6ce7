//! The way back from changes to types: extensions, enums, sequences, domains and composite
//! types.

use crate::model::*;

use crate::plan::change::kinds::{Change, Reverse};

/// A newer extension version cannot be undone in general.
pub(super) fn extension_downgrade() -> Reverse {
    Reverse::Irreversible {
        reason: "an extension can be moved back to an older version only if it \
                 ships a downgrade script"
            .into(),
    }
}

/// Added enum values cannot be taken out again.
pub(super) fn enum_value_removal() -> Reverse {
    Reverse::Irreversible {
        reason: "PostgreSQL cannot remove a value from an enum; undoing it means \
                 rebuilding the type"
            .into(),
    }
}

/// A sequence the plan creates is dropped again; its position is not kept.
pub(super) fn drop_created_sequence(name: QualName, def: Sequence) -> Reverse {
    Reverse::by(Change::DropSequence {
        name,
        def,
        backup: None,
    })
}

/// A domain constraint added is dropped again, and a dropped one added back.
pub(super) fn drop_domain_constraint(
    domain: QualName,
    name: String,
    constraint: DomainConstraint,
) -> Reverse {
    Reverse::by(Change::DropDomainConstraint {
        domain,
        name,
        constraint,
    })
}

pub(super) fn add_domain_constraint(
    domain: QualName,
    name: String,
    constraint: DomainConstraint,
) -> Reverse {
    Reverse::by(Change::AddDomainConstraint {
        domain,
        name,
        constraint,
    })
}

/// As for tables: a validated constraint cannot be marked NOT VALID again.
pub(super) fn add_domain_constraint_not_valid(
    domain: QualName,
    name: String,
    constraint: DomainConstraint,
) -> Reverse {
    Reverse::Changes(vec![
        Change::DropDomainConstraint {
            domain: domain.clone(),
            name: name.clone(),
            constraint: constraint.clone(),
        },
        Change::AddDomainConstraint {
            domain,
            name,
            constraint: DomainConstraint {
                validated: false,
                ..constraint
            },
        },
    ])
}

/// An attribute the plan adds is dropped again; no column holds values of it yet.
pub(super) fn drop_added_attribute(type_name: QualName, attribute: Attribute) -> Reverse {
    Reverse::by(Change::DropAttribute {
        type_name,
        attribute,
        stored: false,
    })
}

/// A dropped attribute is added back, unless table columns held values of it (`stored`): those
/// are gone.
pub(super) fn add_dropped_attribute(
    type_name: QualName,
    attribute: Attribute,
    stored: bool,
) -> Reverse {
    if stored {
        return Reverse::Irreversible {
            reason: format!(
                "the values of attribute {} held in table columns of type {type_name} are lost; adding it back gives NULLs",
                attribute.name
            ),
        };
    }
    Reverse::by(Change::AddAttribute {
        type_name,
        attribute,
    })
}
