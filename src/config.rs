//! Runtime settings from `config.json`, served beside `index.html`, so one build deploys anywhere.

use serde::Deserialize;

#[derive(Clone, Debug, Deserialize, PartialEq)]
#[serde(default)]
pub struct Config {
    pub brand: Brand,
    /// Same-origin path of the help desk's API (Zammad: `/api/v1`; Znuny: the proxied web service).
    pub api_base: String,
    pub request_timeout_ms: u32,
    pub ticket_form: TicketForm,
    /// Largest file a customer may attach, in bytes.
    pub max_attachment_bytes: u64,
    pub page_size: u32,
    /// Backend-specific settings; each adapter reads its own section.
    pub zammad: serde_json::Value,
    pub znuny: serde_json::Value,
}

impl Default for Config {
    fn default() -> Self {
        Self {
            brand: Brand::default(),
            api_base: "/api/v1".into(),
            request_timeout_ms: 20_000,
            ticket_form: TicketForm::default(),
            max_attachment_bytes: 10 * 1024 * 1024,
            page_size: 25,
            zammad: serde_json::Value::Null,
            znuny: serde_json::Value::Null,
        }
    }
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct Brand {
    /// Empty: the portal's own name in the customer's language ("Help Center").
    pub name: String,
}

#[derive(Clone, Debug, Default, Deserialize, PartialEq)]
#[serde(default)]
pub struct TicketForm {
    /// Groups (Zammad) or queues (Znuny) a customer may choose for a new ticket.
    pub groups: Vec<Choice>,
    pub default_group: Option<String>,
}

#[derive(Clone, Debug, Deserialize, PartialEq)]
pub struct Choice {
    pub id: String,
    pub label: String,
}

impl Config {
    pub fn parse(text: &str) -> Result<Self, String> {
        // serde reads a struct from an array too (`[]` would be all defaults): only an object is
        // a config. JSON whitespace may come first.
        if !text
            .trim_start_matches([' ', '\n', '\r', '\t'])
            .starts_with('{')
        {
            return Err("expected a JSON object ({ … })".into());
        }
        let mut config: Config = serde_json::from_str(text).map_err(|e| e.to_string())?;
        config.api_base = config.api_base.trim_end_matches('/').to_string();
        config.page_size = config.page_size.clamp(5, 100);
        config.request_timeout_ms = config.request_timeout_ms.max(1_000);
        Ok(config)
    }

    /// The group a new ticket goes to when the customer did not pick one.
    pub fn default_group(&self) -> Option<String> {
        self.ticket_form
            .default_group
            .clone()
            .or_else(|| self.ticket_form.groups.first().map(|g| g.id.clone()))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn defaults_fill_missing_keys() {
        let c = Config::parse(r#"{"brand":{"name":"Acme"}}"#).unwrap();
        assert_eq!(c.brand.name, "Acme");
        assert_eq!(c.api_base, "/api/v1");
        assert_eq!(c.page_size, 25);
        assert_eq!(c.default_group(), None);
    }

    #[test]
    fn trims_base_and_picks_default_group() {
        let c = Config::parse(
            r#"{"api_base":"/support/api/v1/","ticket_form":{"groups":[{"id":"2","label":"Support"}]}}"#,
        )
        .unwrap();
        assert_eq!(c.api_base, "/support/api/v1");
        assert_eq!(c.default_group().as_deref(), Some("2"));
    }

    #[test]
    fn rejects_broken_json() {
        assert!(Config::parse("{").is_err());
    }
}
