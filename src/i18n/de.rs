//! Deutsch (formal "Sie", as help desks address customers).

use super::Texts;

pub const TEXTS: Texts = Texts {
    code: "de",
    name: "Deutsch",
    language: "Sprache",

    decimal_separator: ",",
    bytes: |n| {
        if n == 1 {
            "1 Byte".into()
        } else {
            format!("{n} Bytes")
        }
    },
    kilobytes: "KB",
    megabytes: "MB",

    default_brand: "Hilfe-Center",
    loading: "Wird geladen…",
    unavailable_heading: "Das Portal ist nicht verfügbar",
    skip_link: "Zum Inhalt springen",
    main_nav: "Hauptnavigation",
    menu: "Menü",
    my_tickets: "Meine Tickets",
    new_ticket: "Neues Ticket",
    sign_out: "Abmelden",
    signed_out_notice: "Sie haben sich abgemeldet.",
    try_again: "Erneut versuchen",
    theme: "Design",
    theme_system: "System",
    theme_light: "Hell",
    theme_dark: "Dunkel",
    offline: "Sie sind offline. Ihre Eingaben gehen nicht verloren; sie können gesendet werden, \
        sobald die Verbindung wieder besteht.",
    send_now: "Jetzt senden",
    stopped_heading: "Etwas ist schiefgelaufen",
    stopped_message: "Das Portal funktioniert nicht mehr. Laden Sie die Seite neu, um weiterzumachen; was Sie geschrieben haben, bleibt erhalten.",
    reload_page: "Seite neu laden",

    sign_in: "Anmelden",
    login_label: "E-Mail-Adresse oder Benutzername",
    username_label: "Benutzername",
    password: "Passwort",
    two_factor_code: "Zwei-Faktor-Code",
    two_factor_hint: "Geben Sie den Code aus Ihrer Authenticator-App ein.",
    stay_signed_in: "Angemeldet bleiben",
    stay_hint: "Nur auf Ihrem eigenen Gerät: Sie bleiben angemeldet, auch wenn der Browser \
        geschlossen wird.",
    verify: "Bestätigen",
    signing_in: "Anmeldung läuft…",
    missing_credentials_username: "Bitte geben Sie Ihren Benutzernamen und Ihr Passwort ein.",
    missing_credentials: "Bitte geben Sie Ihre E-Mail-Adresse oder Ihren Benutzernamen und Ihr \
        Passwort ein.",
    missing_code: "Bitte geben Sie den Code aus Ihrer Authenticator-App ein.",
    two_factor_method_legend: "Bestätigen mit",
    method_authenticator_app: "Authenticator-App",
    method_security_key: "Sicherheitsschlüssel",
    method_recovery_code: "Wiederherstellungscode",
    recovery_code_label: "Wiederherstellungscode",
    recovery_code_hint: "Geben Sie einen der Wiederherstellungscodes ein, die Sie beim \
        Einrichten der Zwei-Faktor-Authentifizierung gespeichert haben. Jeder Code gilt einmal.",
    security_key_hint: "Wählen Sie \u{201e}Sicherheitsschlüssel verwenden\u{201c} und folgen Sie \
        dann Ihrem Browser: Schlüssel einstecken oder berühren.",
    use_security_key: "Sicherheitsschlüssel verwenden",
    missing_recovery_code: "Bitte geben Sie einen Ihrer Wiederherstellungscodes ein.",

    reauth_heading: "Ihre Sitzung ist abgelaufen",
    reauth_before: "Bitte geben Sie Ihr Passwort ein, um als ",
    reauth_after: " fortzufahren. Ihre Eingaben gehen nicht verloren.",
    enter_password: "Bitte geben Sie Ihr Passwort ein.",
    continue_: "Weiter",
    sign_out_instead: "Stattdessen abmelden",
    session_ends: |m| {
        let unit = if m == 1 { "Minute" } else { "Minuten" };
        format!(
            "Zu Ihrer Sicherheit beendet der Helpdesk Ihre Sitzung in {m} {unit}. Danach werden \
             Sie nach Ihrem Passwort gefragt; Ihre Eingaben gehen nicht verloren."
        )
    },

    create_ticket: "Ticket erstellen",
    search_tickets: "Tickets durchsuchen",
    search_placeholder: "Titel, Nummer oder Text",
    status: "Status",
    status_open: "Offen",
    status_closed: "Geschlossen",
    status_all: "Alle",
    sort_by: "Sortieren nach",
    sort_updated: "Letzte Änderung",
    sort_created: "Erstellt",
    sort_number: "Nummer",
    show: "Anzeigen",
    my_organization: "Meine Organisation",
    my_company: "Mein Unternehmen",
    mine: "Nur meine",
    loading_tickets: "Tickets werden geladen…",
    none_found: "0 Tickets gefunden.",
    none_on_page: |page| format!("0 Tickets auf Seite {page}."),
    tickets_found: |n| {
        if n == 1 {
            "1 Ticket gefunden".into()
        } else {
            format!("{n} Tickets gefunden")
        }
    },
    tickets_shown: |n| {
        if n == 1 {
            "1 Ticket angezeigt".into()
        } else {
            format!("{n} Tickets angezeigt")
        }
    },
    count_on_page_of: |count, page, pages| format!("{count}, Seite {page} von {pages}."),
    count_on_page: |count, page| format!("{count}, Seite {page}."),
    no_tickets: "Keine Tickets gefunden.",
    no_more_tickets: "Keine weiteren Tickets.",
    page_of: |page, pages| format!("Seite {page} von {pages}"),
    page: |page| format!("Seite {page}"),
    pagination: "Seitennavigation",
    previous_page: "Vorherige Seite",
    next_page: "Nächste Seite",
    updated_at: "Aktualisiert",
    colleagues_ticket: "Ticket eines Kollegen",
    new_reply: "Neue Antwort",

    state_new: "Neu",
    state_open: "Offen",
    state_pending: "Wartend",
    state_closed: "Geschlossen",

    loading_ticket: "Ticket wird geladen…",
    ticket_not_found: "Ticket nicht gefunden",
    ticket_not_openable: "Sie können dieses Ticket nicht öffnen",
    back_to_tickets: "Zurück zu meinen Tickets",
    ticket: "Ticket",
    number: "Nummer",
    group: "Gruppe",
    created: "Erstellt",
    updated: "Aktualisiert",
    reopen_ticket: "Ticket wieder öffnen",
    close_ticket: "Ticket schließen",
    ticket_reopened: "Ticket wieder geöffnet.",
    ticket_closed: "Ticket geschlossen.",
    follow_up_refused: "Dieses Ticket ist geschlossen. Für alles Weitere bittet der Helpdesk um \
        ein neues Ticket.",
    create_new_ticket: "Neues Ticket erstellen",
    follow_up_may_be_refused: "Dieses Ticket ist geschlossen. Der Helpdesk bittet womöglich um ein neues \
        Ticket, statt es wieder zu öffnen; dann bleibt Ihre Antwort hier erhalten.",
    follow_up_subject: |number, title| format!("Nachtrag zu #{number}: {title}"),
    conversation: "Verlauf",
    new_replies: |n| {
        if n == 1 {
            "1 neue Antwort".into()
        } else {
            format!("{n} neue Antworten")
        }
    },
    write_reply: "Antwort schreiben",
    write_reply_reopen: "Antworten Sie, um dieses Ticket wieder zu öffnen",
    reply: "Antwort",
    send_reply: "Antwort senden",
    sending: "Wird gesendet…",
    reply_sent: "Antwort gesendet.",
    reply_empty: "Bitte schreiben Sie zuerst Ihre Antwort.",
    reply_sent_earlier: "Antwort gesendet. (Sie hatte den Helpdesk schon beim früheren Versuch \
        erreicht.)",
    earlier_reply_arrived: "Ihre frühere Antwort hat den Helpdesk erreicht. Der geänderte Text \
        unten wurde nicht gesendet.",
    checking_reply: "Es wird geprüft, ob Ihre Antwort beim Helpdesk angekommen ist…",
    reply_kept: "Ihre Antwort bleibt erhalten. \u{201e}Erneut versuchen\u{201c} prüft zuerst, ob \
        der Helpdesk sie schon erhalten hat, damit sie nie doppelt gesendet wird.",
    reply_waits_offline: "Sie sind offline. Ihre Antwort bleibt hier erhalten und kann gesendet \
        werden, sobald die Verbindung wieder besteht.",
    reply_waits_online: "Die Verbindung besteht wieder. Ihre Antwort wurde noch nicht gesendet.",
    status_waits_offline: "Sie sind offline. Der Status des Tickets kann geändert werden, sobald \
        die Verbindung wieder besteht.",
    status_waits_online: "Die Verbindung besteht wieder. Der Status des Tickets wurde noch nicht \
        geändert.",

    sender_support: "Support",
    sender_system: "System",
    role_support: "Support-Team",
    role_system: "Automatische Nachricht",
    role_you: "Sie",
    role_customer: "Kunde",
    message_from: |name, role| format!("Nachricht von {name} ({role})"),
    message_not_displayed: "Diese Nachricht kann nicht angezeigt werden.",
    image_not_shown: "[Bild nicht angezeigt]",
    image_not_shown_alt: |alt| format!("[Bild nicht angezeigt: {alt}]"),
    images_as_files: "Bilder dieser Nachricht, die nur als Datei angeboten werden (sie könnten aktive Inhalte enthalten):",
    image_file: "Bild",
    remote_images_blocked: "Bilder von anderen Websites wurden zum Schutz Ihrer Privatsphäre \
        blockiert.",
    show_images: "Bilder anzeigen",

    attachments: "Anhänge",
    download: "Herunterladen",
    drop_zone: "Dateien hier ablegen",
    attach_files: "Dateien anhängen",
    drop_hint: |max| format!(" oder Dateien hier ablegen (jeweils bis zu {max})"),
    reading_files: "Dateien werden gelesen…",
    files_to_send: "Zu sendende Dateien",
    remove: "Entfernen",
    remove_file: |name| format!("{name} entfernen"),
    file_too_big: |name, size, max| {
        format!("\u{201e}{name}\u{201c} ist {size} groß – Dateien dürfen höchstens {max} groß sein.")
    },
    file_unreadable: |name| format!("\u{201e}{name}\u{201c} konnte nicht gelesen werden."),
    not_kept_one: |name, limit| {
        format!(
            "\u{201e}{name}\u{201c} bleibt nicht erhalten, wenn diese Seite neu geladen wird \
             (Dateien bleiben bis zu {limit} zusammen erhalten): Lassen Sie die Seite geöffnet, \
             bis sie gesendet ist."
        )
    },
    not_kept_many: |count, names, limit| {
        format!(
            "{count} Dateien ({names}) bleiben nicht erhalten, wenn diese Seite neu geladen wird \
             (Dateien bleiben bis zu {limit} zusammen erhalten): Lassen Sie die Seite geöffnet, \
             bis sie gesendet sind."
        )
    },
    quote_list: |names| {
        names
            .iter()
            .map(|n| format!("\u{201e}{n}\u{201c}"))
            .collect::<Vec<_>>()
            .join(", ")
    },

    subject: "Betreff",
    message: "Nachricht",
    submit_ticket: "Ticket absenden",
    submitting: "Wird gesendet…",
    subject_missing: "Bitte geben Sie einen Betreff ein.",
    subject_too_long: |max| format!("Der Betreff darf höchstens {max} Zeichen lang sein."),
    message_missing: "Bitte beschreiben Sie Ihr Anliegen.",
    message_too_long: |max| format!("Die Nachricht darf höchstens {max} Zeichen lang sein."),
    checking_ticket: "Es wird geprüft, ob Ihr Ticket beim Helpdesk angekommen ist…",
    ticket_kept: "Ihr Ticket bleibt erhalten. \u{201e}Erneut versuchen\u{201c} prüft zuerst, ob \
        der Helpdesk es schon erhalten hat, damit es nie doppelt angelegt wird.",
    earlier_ticket_arrived: "Ihr früheres Ticket hat den Helpdesk erreicht. Die geänderte Fassung \
        unten wurde nicht gesendet.",
    open_the_ticket: "Ticket öffnen",
    ticket_waits_offline: "Sie sind offline. Ihr Ticket bleibt hier erhalten und kann gesendet \
        werden, sobald die Verbindung wieder besteht.",
    ticket_waits_online: "Die Verbindung besteht wieder. Ihr Ticket wurde noch nicht gesendet.",
    create_not_allowed: "Dieser Helpdesk nimmt über das Portal keine neuen Tickets an. Bitte erreichen \
        Sie ihn auf anderem Weg, zum Beispiel per E-Mail.",
    create_no_group: "Dieser Helpdesk nimmt neue Tickets in keiner der Gruppen an, die dieses Portal \
        anbietet. Bitte sagen Sie dem Helpdesk Bescheid; Ihr Entwurf bleibt hier erhalten.",

    page_not_found: "Seite nicht gefunden",
    nothing_here: "Unter dieser Adresse gibt es nichts.",

    err_session_ended: "Ihre Sitzung ist beendet. Bitte melden Sie sich erneut an.",
    err_not_found: "Dieses Ticket gibt es nicht, oder Sie haben keinen Zugriff darauf.",
    err_network: "Der Helpdesk ist nicht erreichbar. Prüfen Sie Ihre Verbindung und versuchen \
        Sie es erneut.",
    err_timeout: "Der Helpdesk hat nicht rechtzeitig geantwortet. Bitte versuchen Sie es erneut.",
    err_server: |status| {
        format!(
            "Der Helpdesk ist gerade nicht verfügbar (HTTP {status}). Bitte versuchen Sie es \
             gleich noch einmal."
        )
    },
    err_unexpected: |status| {
        format!(
            "Der Helpdesk hat unerwartet geantwortet (HTTP {status}). Bitte versuchen Sie es \
             erneut."
        )
    },
    err_unreadable: |why| {
        format!(
            "Der Helpdesk hat eine Antwort gesendet, die das Portal nicht lesen konnte ({why}). \
             Bitte versuchen Sie es erneut."
        )
    },
    err_config_unavailable: |status| {
        format!(
            "Die Einstellungen des Portals (config.json) konnten nicht geladen werden (HTTP \
             {status})."
        )
    },
    err_config_invalid: |why| format!("Die Einstellungen des Portals (config.json) sind ungültig: {why}"),
    err_save_refused: "Der Browser hat das Speichern der Datei abgelehnt.",
    err_sign_in_failed: "Die Anmeldung ist fehlgeschlagen. Bitte prüfen Sie Ihre E-Mail-Adresse \
        oder Ihren Benutzernamen und Ihr Passwort.",
    err_sign_in_failed_username: "Die Anmeldung ist fehlgeschlagen. Bitte prüfen Sie Ihren \
        Benutzernamen und Ihr Passwort.",
    err_username_not_email: "Bei diesem Helpdesk melden Sie sich mit Ihrem Benutzernamen an, \
        nicht mit Ihrer E-Mail-Adresse. Bitte geben Sie Ihren Benutzernamen ein.",
    err_maintenance: "Der Helpdesk wird gerade gewartet. Bitte versuchen Sie es später erneut.",
    err_not_accepted: "Der Helpdesk hat dies nicht angenommen. Bitte prüfen Sie Ihre Eingaben.",
    err_change_not_accepted: |text| format!("Der Helpdesk hat diese Änderung nicht angenommen ({text})"),
    err_ticket_not_accepted: |text| {
        format!(
            "Der Helpdesk hat ein Ticket mit diesen Angaben nicht angenommen. Betreff und Nachricht \
             bleiben erhalten: Wählen Sie eine andere Gruppe oder senden Sie das Ticket ohne Anhänge. \
             Wenn es wieder passiert, nennen Sie dem Helpdesk diese Kennung: {text}"
        )
    },
    err_ticket_not_openable: "Sie sehen dieses Ticket in der Liste, aber der Helpdesk lässt Sie es nicht \
        öffnen: Es gehört zu einer Organisation, der Sie nur als weitere Organisation angehören. Bitten \
        Sie den Helpdesk um Zugang.",
    err_two_factor_unsupported: "Ihr Konto verwendet die Zwei-Faktor-Authentifizierung, die der \
        Anmeldemodus dieses Portals nicht unterstützt. Bitte bitten Sie Ihren Helpdesk, das Portal \
        auf die Sitzungsanmeldung umzustellen (\"auth\": \"session\" in config.json).",
    err_token_access: "Die Anmeldung ist noch nicht möglich: Der Helpdesk hat Kunden die \
        Berechtigung \u{201e}Token Access\u{201c} nicht gegeben. Ein Administrator kann sie in \
        Zammad unter Einstellungen → Rollen → Customer → Token Access \
        (user_preferences.access_token) freischalten oder die Sitzungsanmeldung des Portals \
        erlauben (config.json: \"zammad\": {\"session_fallback\": true}).",
    err_api_disabled: |text| {
        format!(
            "Die Anmeldung ist nicht möglich: Der Helpdesk hat den API-Zugang abgeschaltet \
             ({text}). Ein Administrator kann \u{201e}API password access\u{201c} und \
             \u{201e}API token access\u{201c} in den Systemeinstellungen von Zammad einschalten."
        )
    },
    err_two_factor_wrong: "Der Zwei-Faktor-Code wurde nicht angenommen. Bitte prüfen Sie ihn und \
        versuchen Sie es erneut.",
    err_two_factor_fallback_off: "Ihr Konto verwendet die Zwei-Faktor-Authentifizierung. Dieses \
        Portal meldet sich mit persönlichen Zugriffstoken an, die Zammad solchen Konten nicht \
        ausstellt, und seine Einstellungen verbieten stattdessen die Anmeldung von Zammad selbst. \
        Ein Administrator kann sie in der config.json des Portals erlauben (\"zammad\": \
        {\"session_fallback\": true}) oder das Portal auf Sitzungsanmeldung umstellen \
        (\"auth\": \"session\").",
    err_token_access_disabled: "Die Anmeldung ist nicht möglich: Der API-Zugang mit Token ist in \
        Zammad abgeschaltet. Ein Administrator kann ihn in Zammad unter Einstellungen → System → \
        API → Token Access einschalten oder die Sitzungsanmeldung des Portals erlauben \
        (config.json: \"zammad\": {\"session_fallback\": true}).",
    err_password_access_disabled: "Die Anmeldung ist nicht möglich: Der API-Zugang mit Passwort \
        ist in Zammad abgeschaltet. Ein Administrator kann ihn in Zammad unter Einstellungen → \
        System → API → Password Access einschalten oder die Sitzungsanmeldung des Portals \
        erlauben (config.json: \"zammad\": {\"session_fallback\": true}).",
    err_account_locked: "Ihr Passwort wird jetzt abgelehnt, obwohl es eben noch angenommen wurde: \
        Nach zu vielen fehlgeschlagenen Anmeldungen sperrt der Helpdesk das Konto. Bitte lassen Sie \
        es vom Helpdesk entsperren.",
    err_sign_in_maybe_locked: "Die Anmeldung ist erneut fehlgeschlagen. Nach mehreren \
        fehlgeschlagenen Anmeldungen in Folge sperrt der Helpdesk das Konto, und dann wird auch das \
        richtige Passwort abgelehnt. Wenn Sie sich Ihres Passworts sicher sind, lassen Sie Ihr \
        Konto bitte vom Helpdesk entsperren.",
    err_security_key_failed: "Der Sicherheitsschlüssel konnte nicht verwendet werden \
        (abgebrochen, Zeit abgelaufen oder in diesem Browser nicht verfügbar). Bitte versuchen Sie \
        es erneut oder wählen Sie eine andere Methode.",
    err_security_key_refused: "Der Sicherheitsschlüssel wurde nicht angenommen. Bitte versuchen \
        Sie es erneut oder wählen Sie eine andere Methode.",
    err_too_many_attempts: "Zu viele Versuche in kurzer Zeit. Bitte warten Sie eine Minute und \
        versuchen Sie es erneut.",
    err_two_factor_no_method: "Die Zwei-Faktor-Methode Ihres Kontos wird von diesem Portal nicht \
        unterstützt. Bitte melden Sie sich direkt beim Helpdesk an oder bitten Sie ihn um Hilfe.",
    err_files_too_large: "Die Dateien sind für den Helpdesk zu groß. Bitte senden Sie weniger \
        oder kleinere Dateien.",
    err_request_not_accepted: |text| {
        format!(
            "Der Helpdesk hat die Anfrage nicht angenommen ({text}). Bitte wenden Sie sich an den \
             Helpdesk, wenn das Problem bestehen bleibt."
        )
    },
    err_help_desk: |text| format!("Der Helpdesk hat einen Fehler gemeldet ({text})."),
    err_closed_for_replies: "Dieses Ticket nimmt keine Antworten mehr an. Bitte erstellen Sie ein \
        neues Ticket.",
    err_routes_invalid: |why| format!("Die Znuny-Routen des Portals in config.json sind ungültig: {why}"),
    err_no_route: |operation| format!("config.json enthält keine Znuny-Route für {operation}."),
    err_no_queue: "config.json nennt keine Queue für neue Tickets.",

    why_cut_off: "die Antwort war abgeschnitten",
    why_not_json: "kein gültiges JSON",
    why_content: |detail| format!("unerwarteter Inhalt: {detail}"),
    why_search_shape: "unbekannte Form des Suchergebnisses",
    why_object: "JSON-Objekt erwartet",
    why_array: "JSON-Liste erwartet",
    why_list: "Liste von JSON-Objekten erwartet",
    why_no_token: "kein Token in der Antwort",
    why_token_malformed: "das Token in der Antwort ist fehlerhaft",
    why_no_session: "keine Sitzung in der Antwort",
    why_no_session_id: "keine SessionID in der Antwort",
    why_session_id_malformed: "die SessionID in der Antwort ist fehlerhaft",
    why_no_user_login: "kein UserLogin in den Sitzungsdaten",
    why_search_id: "eine TicketID im Suchergebnis ist keine Zahl",
    why_base64: "der Inhalt der Datei ist kein gültiges Base64",
    why_ticket_id: "die TicketID in der Antwort ist keine Zahl",
    why_no_ticket_id: "keine TicketID in der Antwort",
};
