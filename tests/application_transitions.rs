//! Every (state, action, role): the allowed ones succeed and are recorded; all others are
//! refused with `TransitionRefused` naming the state, action and role, and change nothing.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod applications_common;

use applications_common::*;
use eservices::application::*;
use eservices::Error;

/// The fee arrangement under which an allowed (state, action) can succeed.
fn due_for(state: State, action: Action) -> PaymentDue {
    if state == State::Submitted && action == Action::RecordPayment {
        PaymentDue::Upfront
    } else {
        PaymentDue::OnApproval
    }
}

#[test]
fn every_state_action_role() {
    let mut allowed = 0;
    let mut refused = 0;
    for state in State::ALL {
        for action in Action::ALL {
            if action == Action::Create {
                continue;
            }
            for role in Role::ALL {
                let (mut app, mut log) = app_in(state, due_for(state, action));
                let before = app.to_json().unwrap();
                let log_before = log.to_json().unwrap();
                let by = actor(role);
                let result = perform(&mut app, action, &by, &mut log);
                let case = format!("({state}, {action}, {role})");
                if transition_allowed(state, action, role) {
                    allowed += 1;
                    result.unwrap_or_else(|e| panic!("{case} should succeed: {e}"));
                    let to = app.state();
                    assert!(
                        TRANSITIONS.iter().any(|t| t.from == state
                            && t.action == action
                            && t.roles.contains(&role)
                            && t.to == to),
                        "{case} led to {to}, which is not in the table"
                    );
                    assert_eq!(log.len(), app.history().len(), "{case}");
                    let last = app.history().last().unwrap();
                    assert_eq!((last.action, last.from, last.to), (action, Some(state), to));
                    log.verify().unwrap();
                    app.check_recorded_in(&log).unwrap();
                    let back = Application::from_json(&app.to_json().unwrap()).unwrap();
                    assert_eq!(back, app, "{case}");
                } else {
                    refused += 1;
                    assert_eq!(
                        result,
                        Err(Error::TransitionRefused {
                            state,
                            action,
                            role
                        }),
                        "{case}"
                    );
                    assert_eq!(
                        app.to_json().unwrap(),
                        before,
                        "{case} changed the application"
                    );
                    assert_eq!(log.to_json().unwrap(), log_before, "{case} changed the log");
                }
            }
        }
    }
    assert_eq!(allowed, 16);
    assert_eq!(allowed + refused, 10 * 11 * 8);
}

#[test]
fn refusal_message_names_state_action_and_role() {
    let (mut app, mut log) = app_in(State::Submitted, PaymentDue::OnApproval);
    let e = perform(&mut app, Action::Approve, &actor(Role::Cashier), &mut log).unwrap_err();
    assert_eq!(e.code(), "transition_refused");
    assert_eq!(
        e.to_string(),
        "cashier may not approve an application that is submitted"
    );
}

#[test]
fn only_applicants_and_clerks_create() {
    for role in Role::ALL {
        let mut log = eservices::audit::AuditLog::new("MSU-2026").unwrap();
        let mut by = actor(role);
        by.id = "citizen-1".into();
        let result =
            Application::create(new_app(PaymentDue::OnApproval, 0), &by, &mut log, &clock());
        if CREATE_ROLES.contains(&role) {
            let app = result.unwrap();
            assert_eq!(app.state(), State::Draft);
            assert_eq!(app.captured_by(), Some(&by));
            assert_eq!(log.len(), 1);
        } else {
            assert_eq!(result.unwrap_err(), Error::CreateRefused { role });
            assert!(log.is_empty());
        }
    }
}

#[test]
fn an_applicant_cannot_act_on_someone_elses_application() {
    let mut log = eservices::audit::AuditLog::new("MSU-2026").unwrap();
    let other = Actor::new("citizen-2", Role::Applicant, "online").unwrap();
    let e = Application::create(
        new_app(PaymentDue::OnApproval, 0),
        &other,
        &mut log,
        &clock(),
    )
    .unwrap_err();
    assert_eq!(e.code(), "not_the_applicant");

    let (mut app, mut log) = app_in(State::Submitted, PaymentDue::OnApproval);
    let before = app.clone();
    let e = perform(&mut app, Action::Withdraw, &other, &mut log).unwrap_err();
    assert_eq!(
        e,
        Error::NotTheApplicant {
            reference: "MSU-PSP-2026-000123-U".into(),
            actor_id: "citizen-2".into()
        }
    );
    assert_eq!(app, before);
}
