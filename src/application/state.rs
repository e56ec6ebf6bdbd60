//! The lifecycle: states, actions and the transition table.

use std::fmt;

use serde::{Deserialize, Serialize};

use super::Role;

/// Where an application is in its life.
///
/// ```
/// use eservices::application::State;
/// assert_eq!(State::ReturnedForCorrection.as_str(), "returned_for_correction");
/// assert!(State::Revoked.is_final());
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum State {
    /// Being prepared; not yet submitted.
    Draft,
    /// Submitted and waiting to be taken into review.
    Submitted,
    /// Being reviewed.
    UnderReview,
    /// Sent back to the applicant with per-field reasons.
    ReturnedForCorrection,
    /// Approved, nothing owed: waiting to be issued.
    Approved,
    /// Approved; the fee (due on approval) is not yet paid in full.
    AwaitingPayment,
    /// Refused, with a reason. Final.
    Rejected,
    /// The document was issued.
    Issued,
    /// Withdrawn by the applicant before a decision. Final.
    Withdrawn,
    /// The issued document was revoked, with a reason. Final.
    Revoked,
}

impl State {
    /// Every state, in declaration order.
    pub const ALL: [State; 10] = [
        State::Draft,
        State::Submitted,
        State::UnderReview,
        State::ReturnedForCorrection,
        State::Approved,
        State::AwaitingPayment,
        State::Rejected,
        State::Issued,
        State::Withdrawn,
        State::Revoked,
    ];

    /// The stable snake_case name, as in JSON.
    pub fn as_str(&self) -> &'static str {
        match self {
            State::Draft => "draft",
            State::Submitted => "submitted",
            State::UnderReview => "under_review",
            State::ReturnedForCorrection => "returned_for_correction",
            State::Approved => "approved",
            State::AwaitingPayment => "awaiting_payment",
            State::Rejected => "rejected",
            State::Issued => "issued",
            State::Withdrawn => "withdrawn",
            State::Revoked => "revoked",
        }
    }

    /// True when no action leads out of this state.
    pub fn is_final(&self) -> bool {
        !TRANSITIONS.iter().any(|t| t.from == *self)
    }
}

impl fmt::Display for State {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Something an actor does to an application. Every action is recorded in the application's
/// history and in the audit log under its [`as_str`](Action::as_str) name.
///
/// ```
/// use eservices::application::Action;
/// assert_eq!(Action::TakeIntoReview.as_str(), "take_into_review");
/// ```
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
#[cfg_attr(feature = "ffi", derive(uniffi::Enum))]
pub enum Action {
    /// Open a new draft (not a transition: there is no state before it).
    Create,
    /// Replace a draft's answers and attachments.
    SaveDraft,
    /// Submit a draft whose answers validate.
    Submit,
    /// Withdraw before a decision.
    Withdraw,
    /// Take a submitted application into review.
    TakeIntoReview,
    /// Return for correction, with per-field reasons.
    ReturnForCorrection,
    /// Resubmit corrected answers (a new revision).
    Resubmit,
    /// Reject, with a reason.
    Reject,
    /// Approve (maker-checker applies).
    Approve,
    /// Record a payment towards the fee.
    RecordPayment,
    /// Mark issued, naming the issued document.
    Issue,
    /// Revoke the issued document, with a reason.
    Revoke,
}

impl Action {
    /// Every action, in declaration order.
    pub const ALL: [Action; 12] = [
        Action::Create,
        Action::SaveDraft,
        Action::Submit,
        Action::Withdraw,
        Action::TakeIntoReview,
        Action::ReturnForCorrection,
        Action::Resubmit,
        Action::Reject,
        Action::Approve,
        Action::RecordPayment,
        Action::Issue,
        Action::Revoke,
    ];

    /// The stable snake_case name, as in JSON and the audit log.
    pub fn as_str(&self) -> &'static str {
        match self {
            Action::Create => "create",
            Action::SaveDraft => "save_draft",
            Action::Submit => "submit",
            Action::Withdraw => "withdraw",
            Action::TakeIntoReview => "take_into_review",
            Action::ReturnForCorrection => "return_for_correction",
            Action::Resubmit => "resubmit",
            Action::Reject => "reject",
            Action::Approve => "approve",
            Action::RecordPayment => "record_payment",
            Action::Issue => "issue",
            Action::Revoke => "revoke",
        }
    }
}

impl fmt::Display for Action {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// One row of the transition table: in state `from`, an actor in one of `roles` may take
/// `action`, which leads to `to` when `when` holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Transition {
    /// The state the application must be in.
    pub from: State,
    /// The action.
    pub action: Action,
    /// The roles allowed to take it.
    pub roles: &'static [Role],
    /// The resulting state.
    pub to: State,
    /// The further condition for this row, in words (empty when none).
    pub when: &'static str,
}

const APPLICANT: &[Role] = &[Role::Applicant];

/// The complete transition table. Any (state, action, role) not listed here is refused with
/// [`Error::TransitionRefused`](crate::Error::TransitionRefused). Where one (state, action)
/// has two rows, the condition decides which applies.
///
/// ```
/// use eservices::application::{transition_allowed, Action, Role, State};
/// assert!(transition_allowed(State::Submitted, Action::TakeIntoReview, Role::Clerk));
/// assert!(!transition_allowed(State::Submitted, Action::TakeIntoReview, Role::Reviewer));
/// ```
pub const TRANSITIONS: &[Transition] = &[
    Transition {
        from: State::Draft,
        action: Action::SaveDraft,
        roles: APPLICANT,
        to: State::Draft,
        when: "",
    },
    Transition {
        from: State::Draft,
        action: Action::Submit,
        roles: APPLICANT,
        to: State::Submitted,
        when: "the answers validate against the service's form",
    },
    Transition {
        from: State::Draft,
        action: Action::Withdraw,
        roles: APPLICANT,
        to: State::Withdrawn,
        when: "",
    },
    Transition {
        from: State::Submitted,
        action: Action::RecordPayment,
        roles: &[Role::Cashier],
        to: State::Submitted,
        when: "fee due upfront and not yet paid in full; never more than is owed",
    },
    Transition {
        from: State::Submitted,
        action: Action::TakeIntoReview,
        roles: &[Role::Clerk],
        to: State::UnderReview,
        when: "a fee due upfront is paid in full",
    },
    Transition {
        from: State::Submitted,
        action: Action::Withdraw,
        roles: APPLICANT,
        to: State::Withdrawn,
        when: "",
    },
    Transition {
        from: State::UnderReview,
        action: Action::ReturnForCorrection,
        roles: &[Role::Reviewer],
        to: State::ReturnedForCorrection,
        when: "at least one field with a reason",
    },
    Transition {
        from: State::UnderReview,
        action: Action::Reject,
        roles: &[Role::Reviewer],
        to: State::Rejected,
        when: "a reason",
    },
    Transition {
        from: State::UnderReview,
        action: Action::Approve,
        roles: &[Role::Approver],
        to: State::Approved,
        when: "maker-checker; nothing owed",
    },
    Transition {
        from: State::UnderReview,
        action: Action::Approve,
        roles: &[Role::Approver],
        to: State::AwaitingPayment,
        when: "maker-checker; fee due on approval is owed",
    },
    Transition {
        from: State::UnderReview,
        action: Action::Withdraw,
        roles: APPLICANT,
        to: State::Withdrawn,
        when: "",
    },
    Transition {
        from: State::ReturnedForCorrection,
        action: Action::Resubmit,
        roles: APPLICANT,
        to: State::Submitted,
        when: "the answers validate; a new revision is kept",
    },
    Transition {
        from: State::ReturnedForCorrection,
        action: Action::Withdraw,
        roles: APPLICANT,
        to: State::Withdrawn,
        when: "",
    },
    Transition {
        from: State::AwaitingPayment,
        action: Action::RecordPayment,
        roles: &[Role::Cashier],
        to: State::AwaitingPayment,
        when: "still owed after this payment",
    },
    Transition {
        from: State::AwaitingPayment,
        action: Action::RecordPayment,
        roles: &[Role::Cashier],
        to: State::Approved,
        when: "paid in full by this payment",
    },
    Transition {
        from: State::Approved,
        action: Action::Issue,
        roles: &[Role::IssuingOfficer],
        to: State::Issued,
        when: "nothing owed; the issued document's id",
    },
    Transition {
        from: State::Issued,
        action: Action::Revoke,
        roles: &[Role::Approver, Role::Administrator],
        to: State::Revoked,
        when: "a reason",
    },
];

/// Whether the table has a row for this (state, action, role). Conditions (payment,
/// maker-checker, validation…) are checked by the operation itself.
pub fn transition_allowed(state: State, action: Action, role: Role) -> bool {
    TRANSITIONS
        .iter()
        .any(|t| t.from == state && t.action == action && t.roles.contains(&role))
}

/// The roles that may create an application: the applicant, or a clerk capturing it at a
/// counter on the applicant's behalf.
pub const CREATE_ROLES: &[Role] = &[Role::Applicant, Role::Clerk];

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn final_states() {
        let finals: Vec<State> = State::ALL.into_iter().filter(State::is_final).collect();
        assert_eq!(finals, [State::Rejected, State::Withdrawn, State::Revoked]);
    }

    #[test]
    fn names_round_trip_through_json() {
        for s in State::ALL {
            let json = serde_json::to_string(&s).unwrap();
            assert_eq!(json, format!("\"{}\"", s.as_str()));
        }
        for a in Action::ALL {
            let json = serde_json::to_string(&a).unwrap();
            assert_eq!(json, format!("\"{}\"", a.as_str()));
        }
    }

    #[test]
    fn creation_is_not_in_the_table() {
        assert!(TRANSITIONS.iter().all(|t| t.action != Action::Create));
    }
}

#[cfg(test)]
mod readme_tests {
    use super::*;

    /// The README's transition table is the code's, row for row.
    #[test]
    fn readme_table_matches_transitions() {
        let readme = include_str!("../../README.md");
        let rows: Vec<Vec<String>> = readme
            .lines()
            .skip_while(|l| !l.starts_with("| state | action | role |"))
            .skip(2)
            .take_while(|l| l.starts_with('|'))
            .map(|l| {
                l.trim_matches('|')
                    .split('|')
                    .map(|c| c.trim().trim_matches('`').to_string())
                    .collect()
            })
            .collect();
        let expected: Vec<Vec<String>> = TRANSITIONS
            .iter()
            .map(|t| {
                let roles: Vec<&str> = t.roles.iter().map(Role::as_str).collect();
                vec![
                    t.from.as_str().to_string(),
                    t.action.as_str().to_string(),
                    roles.join(" or "),
                    t.to.as_str().to_string(),
                    t.when.to_string(),
                ]
            })
            .collect();
        assert_eq!(rows, expected);
    }
}
