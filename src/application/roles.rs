//! Who acts: roles and actors.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::{Error, Result};

/// What an actor is authorised to do. Each transition names the roles that may take it
/// (see [`TRANSITIONS`](super::TRANSITIONS)).
///
/// ```
/// use eservices::application::Role;
/// assert_eq!(Role::IssuingOfficer.as_str(), "issuing_officer");
/// assert_eq!(Role::ALL.len(), 8);
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Role {
    /// A citizen or business applying for a service.
    Applicant,
    /// Front-office staff: captures applications at a counter and takes them into review.
    Clerk,
    /// Checks an application: returns it for correction or rejects it.
    Reviewer,
    /// Decides: approves an application (never one they took part in).
    Approver,
    /// Records payments.
    Cashier,
    /// Marks an approved, paid application issued, naming the document.
    IssuingOfficer,
    /// Reads applications and audit logs; takes no action.
    Auditor,
    /// Runs the system; may revoke an issued document.
    Administrator,
}

impl Role {
    /// Every role, in declaration order.
    pub const ALL: [Role; 8] = [
        Role::Applicant,
        Role::Clerk,
        Role::Reviewer,
        Role::Approver,
        Role::Cashier,
        Role::IssuingOfficer,
        Role::Auditor,
        Role::Administrator,
    ];

    /// The stable snake_case name, as in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            Role::Applicant => "applicant",
            Role::Clerk => "clerk",
            Role::Reviewer => "reviewer",
            Role::Approver => "approver",
            Role::Cashier => "cashier",
            Role::IssuingOfficer => "issuing_officer",
            Role::Auditor => "auditor",
            Role::Administrator => "administrator",
        }
    }
}

impl fmt::Display for Role {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Someone who acts on an application: an id (a citizen's or an officer's account), the
/// role they act in, and their office (e.g. `MSU` for the Maseru office, `online` for a
/// citizen portal).
///
/// The same person may hold several roles; maker-checker compares ids, so acting under a
/// different role does not let one person both review and approve.
///
/// ```
/// use eservices::application::{Actor, Role};
/// let clerk = Actor::new("officer-17", Role::Clerk, "MSU")?;
/// assert_eq!(clerk.role, Role::Clerk);
/// assert!(Actor::new("  ", Role::Clerk, "MSU").is_err());
/// # Ok::<(), eservices::Error>(())
/// ```
#[derive(Debug, Clone, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
#[cfg_attr(feature = "ffi", derive(uniffi::Record))]
pub struct Actor {
    /// The actor's account id.
    pub id: String,
    /// The role the actor acts in.
    pub role: Role,
    /// The actor's office code.
    pub office: String,
}

/// Longest actor id or office code accepted.
pub const MAX_ACTOR_TEXT: usize = 128;

impl Actor {
    /// A checked actor: id and office must be 1 to [`MAX_ACTOR_TEXT`] characters with no
    /// control characters and no surrounding spaces.
    pub fn new(id: impl Into<String>, role: Role, office: impl Into<String>) -> Result<Self> {
        let actor = Actor {
            id: id.into(),
            role,
            office: office.into(),
        };
        actor.check()?;
        Ok(actor)
    }

    /// Checks an actor built field by field or read from storage (see [`Actor::new`]).
    /// Every application operation calls this before acting.
    pub fn check(&self) -> Result<()> {
        check_text(&self.id, "id")
            .and_then(|()| check_text(&self.office, "office"))
            .map_err(|reason| Error::InvalidActor {
                // Cut: a refused id may be huge.
                actor_id: self.id.chars().take(MAX_ACTOR_TEXT).collect(),
                reason,
            })
    }
}

fn check_text(text: &str, what: &str) -> std::result::Result<(), String> {
    if text.trim().is_empty() {
        return Err(format!("{what} is blank"));
    }
    if text.trim() != text {
        return Err(format!("{what} has surrounding spaces"));
    }
    if text.chars().count() > MAX_ACTOR_TEXT {
        return Err(format!("{what} is longer than {MAX_ACTOR_TEXT} characters"));
    }
    if text.chars().any(char::is_control) {
        return Err(format!("{what} contains a control character"));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn role_names_round_trip_through_json() {
        for role in Role::ALL {
            let json = serde_json::to_string(&role).unwrap();
            assert_eq!(json, format!("\"{}\"", role.as_str()));
            assert_eq!(serde_json::from_str::<Role>(&json).unwrap(), role);
        }
    }

    #[test]
    fn bad_actors_are_refused() {
        for (id, office) in [("", "MSU"), ("a", ""), (" a", "MSU"), ("a\n", "MSU")] {
            let err = Actor::new(id, Role::Clerk, office).unwrap_err();
            assert_eq!(err.code(), "invalid_actor", "{id:?} {office:?}");
        }
        let long = "x".repeat(MAX_ACTOR_TEXT + 1);
        assert!(Actor::new(long, Role::Clerk, "MSU").is_err());
    }
}
