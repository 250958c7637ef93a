//! The second step of a sign-in: the methods the help desk offers for the second factor
//! (authenticator app, security key, recovery code), the field the chosen one needs, and the
//! answer built from it. Used by the sign-in page and the re-authentication dialog.

use leptos::prelude::*;

use crate::domain::{TwoFactorAnswer, TwoFactorChallenge, TwoFactorMethod};
use crate::i18n::{tr, Texts};

type Text = fn(&Texts) -> &'static str;

fn method_name(m: TwoFactorMethod) -> Text {
    match m {
        TwoFactorMethod::AuthenticatorApp => |t| t.method_authenticator_app,
        TwoFactorMethod::SecurityKey => |t| t.method_security_key,
        TwoFactorMethod::RecoveryCode => |t| t.method_recovery_code,
    }
}

fn method_slug(m: TwoFactorMethod) -> &'static str {
    match m {
        TwoFactorMethod::AuthenticatorApp => "authenticator",
        TwoFactorMethod::SecurityKey => "security-key",
        TwoFactorMethod::RecoveryCode => "recovery",
    }
}

/// What the customer answered with `method`, or the text saying what is missing.
pub fn answer(method: TwoFactorMethod, code: &str) -> Result<TwoFactorAnswer, Text> {
    match method {
        TwoFactorMethod::SecurityKey => Ok(TwoFactorAnswer::SecurityKey),
        m if code.trim().is_empty() => Err(if m == TwoFactorMethod::RecoveryCode {
            |t| t.missing_recovery_code
        } else {
            |t| t.missing_code
        }),
        m => Ok(TwoFactorAnswer::Code(m, code.trim().to_string())),
    }
}

/// The id of the element to focus when `method` is chosen (`prefix` keeps ids unique).
pub fn focus_target(prefix: &'static str, method: TwoFactorMethod) -> String {
    match method {
        TwoFactorMethod::AuthenticatorApp => format!("{prefix}code"),
        TwoFactorMethod::RecoveryCode => format!("{prefix}recovery-code"),
        TwoFactorMethod::SecurityKey => format!("{prefix}method-security-key"),
    }
}

/// The method choice (when there is more than one) and the chosen method's field. Switching
/// the method clears the code typed for the other one. Ids start with `prefix`.
#[component]
pub fn TwoFactorStep(
    challenge: TwoFactorChallenge,
    method: RwSignal<TwoFactorMethod>,
    code: RwSignal<String>,
    prefix: &'static str,
) -> impl IntoView {
    let choice = (challenge.methods.len() > 1).then(|| {
        let radios = challenge
            .methods
            .iter()
            .map(|&m| {
                let id = format!("{prefix}method-{}", method_slug(m));
                view! {
                    <div class="radio">
                        <input type="radio" id=id.clone() name=format!("{prefix}method")
                            prop:checked=move || method.get() == m
                            on:change=move |_| {
                                if method.get_untracked() != m {
                                    code.set(String::new());
                                    method.set(m);
                                }
                            } />
                        <label for=id>{tr(method_name(m))}</label>
                    </div>
                }
            })
            .collect_view();
        view! {
            <fieldset class="field two-factor-methods">
                <legend>{tr(|t| t.two_factor_method_legend)}</legend>
                {radios}
            </fieldset>
        }
    });
    let field = move || {
        match method.get() {
        TwoFactorMethod::AuthenticatorApp => view! {
            <div class="field">
                <label for=format!("{prefix}code")>{tr(|t| t.two_factor_code)}</label>
                <input id=format!("{prefix}code") type="text" inputmode="numeric" autocomplete="one-time-code"
                    bind:value=code aria-describedby=format!("{prefix}code-hint") />
                <p id=format!("{prefix}code-hint") class="hint">{tr(|t| t.two_factor_hint)}</p>
            </div>
        }
        .into_any(),
        TwoFactorMethod::RecoveryCode => view! {
            <div class="field">
                <label for=format!("{prefix}recovery-code")>{tr(|t| t.recovery_code_label)}</label>
                <input id=format!("{prefix}recovery-code") type="text" autocomplete="off" spellcheck="false"
                    bind:value=code aria-describedby=format!("{prefix}recovery-hint") />
                <p id=format!("{prefix}recovery-hint") class="hint">{tr(|t| t.recovery_code_hint)}</p>
            </div>
        }
        .into_any(),
        TwoFactorMethod::SecurityKey => view! {
            <p class="hint">{tr(|t| t.security_key_hint)}</p>
        }
        .into_any(),
    }
    };
    view! { {choice} {field} }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_answer_needs_a_code_except_for_a_security_key() {
        assert_eq!(
            answer(TwoFactorMethod::SecurityKey, ""),
            Ok(TwoFactorAnswer::SecurityKey)
        );
        assert_eq!(
            answer(TwoFactorMethod::RecoveryCode, " ab-12 "),
            Ok(TwoFactorAnswer::Code(
                TwoFactorMethod::RecoveryCode,
                "ab-12".into()
            ))
        );
        let t = crate::i18n::english();
        let missing = |m| answer(m, "  ").map_err(|f| f(t)).unwrap_err();
        assert_eq!(
            missing(TwoFactorMethod::RecoveryCode),
            t.missing_recovery_code
        );
        assert_eq!(missing(TwoFactorMethod::AuthenticatorApp), t.missing_code);
    }
}
