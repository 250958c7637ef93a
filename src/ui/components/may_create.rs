//! Whether the customer may open a new ticket, and in which groups: the help desk's own rules
//! (`Backend::create_rules`), narrowed by config.json's `ticket_form.groups`, never widened.

use std::cell::RefCell;

use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::backend::Backend;
use crate::config::Choice;
use crate::domain::CreateRules;
use crate::state::{use_ctx, Ctx};

/// The help desk allows new tickets but in none of the groups the portal would offer.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct NoGroup;

/// The groups the form offers: config.json's (with its labels and order) that the help desk
/// allows, matched by id or by name; the help desk's own when config.json lists none; config.json's
/// as they are when the help desk does not say. `Err` when the help desk allows none of them.
pub fn offered_groups(rules: &CreateRules, configured: &[Choice]) -> Result<Vec<Choice>, NoGroup> {
    let Some(allowed) = &rules.groups else {
        return Ok(configured.to_vec());
    };
    let offered: Vec<Choice> = if configured.is_empty() {
        allowed
            .iter()
            .map(|(id, name)| Choice {
                id: id.clone(),
                label: name.clone(),
            })
            .collect()
    } else {
        configured
            .iter()
            .filter(|c| {
                let wanted = c.id.trim();
                allowed
                    .iter()
                    .any(|(id, name)| id == wanted || name == wanted)
            })
            .cloned()
            .collect()
    };
    if offered.is_empty() {
        Err(NoGroup)
    } else {
        Ok(offered)
    }
}

thread_local! {
    /// The help desk's rules for new tickets and whose they are (the customer id): read once per
    /// sign-in, shared by every place that offers "New ticket".
    static RULES: ArcRwSignal<Option<(String, CreateRules)>> = ArcRwSignal::new(None);
    /// The customer whose rules are being read.
    static ASKING: RefCell<Option<String>> = const { RefCell::new(None) };
}

/// The help desk's rules for the signed-in customer (tracked); `None` while they are read (the
/// first call asks the adapter, which keeps them for the session). Rules that cannot be read
/// leave it to config.json (`CreateRules::unrestricted`): the help desk's own answer to a ticket
/// still decides, and a lost session is noticed by the page's own reads.
pub fn create_rules(ctx: Ctx) -> Option<CreateRules> {
    // Untracked: a view that shows the rules is not rebuilt when the same customer signs in
    // again in place (an expired session); a new customer means new views anyway.
    let me = untrack(|| ctx.customer())?.id;
    if let Some((whose, rules)) = RULES.with(|r| r.get()) {
        if whose == me {
            return Some(rules);
        }
    }
    let asking = ASKING.with(|a| a.borrow().as_ref() == Some(&me));
    if !asking {
        ASKING.with(|a| *a.borrow_mut() = Some(me.clone()));
        let backend = ctx.backend();
        spawn_local(async move {
            let rules = backend
                .create_rules()
                .await
                .unwrap_or_else(|_| CreateRules::unrestricted());
            ASKING.with(|a| a.borrow_mut().take());
            RULES.with(|r| r.set(Some((me, rules))));
        });
    }
    None
}

/// Whether "New ticket" may be offered: the help desk lets the customer create tickets in at
/// least one group the portal offers; not while the rules are read.
pub fn may_create(rules: Option<&CreateRules>, configured: &[Choice]) -> bool {
    rules.is_some_and(|r| r.allowed && offered_groups(r, configured).is_ok())
}

/// Shows its children (a "New ticket" link) only where the help desk lets the customer open a
/// ticket.
#[component]
pub fn IfMayCreate(children: ChildrenFn) -> impl IntoView {
    let ctx = use_ctx();
    let configured = ctx.config.with_value(|c| c.ticket_form.groups.clone());
    let shown = move || may_create(create_rules(ctx).as_ref(), &configured);
    view! { <Show when=shown>{children()}</Show> }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn choice(id: &str, label: &str) -> Choice {
        Choice {
            id: id.into(),
            label: label.into(),
        }
    }

    fn rules(groups: Option<&[(&str, &str)]>) -> CreateRules {
        CreateRules {
            allowed: true,
            groups: groups.map(|g| {
                g.iter()
                    .map(|(id, name)| (id.to_string(), name.to_string()))
                    .collect()
            }),
        }
    }

    #[test]
    fn config_json_narrows_never_widens() {
        let configured = [
            choice("2", "Support"),
            choice("3", "Sales"),
            choice("Users", "General"),
        ];
        // The help desk allows 2 and "Users" (by name): Sales, which config.json lists, is dropped.
        let r = rules(Some(&[("2", "Support"), ("1", "Users")]));
        assert_eq!(
            offered_groups(&r, &configured),
            Ok(vec![choice("2", "Support"), choice("Users", "General")])
        );
        // A group the help desk allows but config.json does not list is not offered either.
        let r = rules(Some(&[("2", "Support"), ("7", "Billing")]));
        assert_eq!(
            offered_groups(&r, &configured),
            Ok(vec![choice("2", "Support")])
        );
        // config.json lists none: the help desk's own, with its names.
        assert_eq!(
            offered_groups(&r, &[]),
            Ok(vec![choice("2", "Support"), choice("7", "Billing")])
        );
        // The help desk does not say: config.json as it is.
        assert_eq!(
            offered_groups(&rules(None), &configured),
            Ok(configured.to_vec())
        );
        // None of config.json's groups is allowed.
        assert_eq!(
            offered_groups(&rules(Some(&[("9", "Other")])), &configured),
            Err(NoGroup)
        );
        assert_eq!(offered_groups(&rules(Some(&[])), &[]), Err(NoGroup));
    }

    #[test]
    fn new_ticket_is_offered_only_where_the_help_desk_allows_it() {
        let configured = [choice("2", "Support")];
        assert!(
            !may_create(None, &configured),
            "not while the rules are read"
        );
        assert!(may_create(Some(&CreateRules::unrestricted()), &configured));
        let off = CreateRules {
            allowed: false,
            groups: None,
        };
        assert!(!may_create(Some(&off), &configured));
        let elsewhere = rules(Some(&[("3", "Sales")]));
        assert!(!may_create(Some(&elsewhere), &configured));
    }
}
