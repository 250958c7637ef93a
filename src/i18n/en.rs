//! English: the fallback, and the reference for what each message says.

use super::{plural, Template, Texts};

pub const TEXTS: Texts = Texts {
    code: "en",
    name: "English",
    language: "Language",

    decimal_separator: ".",
    bytes: plural!(one: "{n} byte", other: "{n} bytes"),
    kilobytes: "KB",
    megabytes: "MB",

    default_brand: "Help Center",
    loading: "Loading…",
    unavailable_heading: "The portal is not available",
    skip_link: "Skip to content",
    main_nav: "Main",
    menu: "Menu",
    my_tickets: "My tickets",
    new_ticket: "New ticket",
    sign_out: "Sign out",
    signed_out_notice: "You have signed out.",
    try_again: "Try again",
    theme: "Theme",
    theme_system: "System",
    theme_light: "Light",
    theme_dark: "Dark",
    offline: "You are offline. Nothing you write is lost; it can be sent once the connection is back.",
    send_now: "Send now",
    stopped_heading: "Something went wrong",
    stopped_message: "The portal stopped working. Reload the page to go on; what you were writing is kept.",
    reload_page: "Reload page",

    sign_in: "Sign in",
    login_label: "Email or username",
    username_label: "Username",
    password: "Password",
    two_factor_code: "Two-factor code",
    two_factor_hint: "Enter the code from your authenticator app.",
    stay_signed_in: "Stay signed in",
    stay_hint: "Only on your own device: keeps you signed in after the browser is closed.",
    verify: "Verify",
    signing_in: "Signing in…",
    missing_credentials: "Please enter your email or username and your password.",
    missing_credentials_username: "Please enter your username and your password.",
    missing_code: "Please enter the code from your authenticator app.",
    two_factor_method_legend: "Verify with",
    method_authenticator_app: "Authenticator app",
    method_security_key: "Security key",
    method_recovery_code: "Recovery code",
    recovery_code_label: "Recovery code",
    recovery_code_hint: "Enter one of the recovery codes you saved when you set up two-factor \
        authentication. Each code works once.",
    security_key_hint: "Choose \u{201c}Use security key\u{201d}, then follow your browser: insert \
        or touch your key.",
    use_security_key: "Use security key",
    missing_recovery_code: "Please enter one of your recovery codes.",

    reauth_heading: "Your session has expired",
    reauth_before: "Please enter your password to continue as ",
    reauth_after: ". Nothing you typed is lost.",
    enter_password: "Please enter your password.",
    continue_: "Continue",
    sign_out_instead: "Sign out instead",
    session_ends: plural!(
        one: "For your security the help desk ends your session in {minutes} minute. You will \
            then be asked for your password; nothing you typed is lost.",
        other: "For your security the help desk ends your session in {minutes} minutes. You \
            will then be asked for your password; nothing you typed is lost.",
    ),

    create_ticket: "Create a ticket",
    search_tickets: "Search tickets",
    search_placeholder: "Title, number or text",
    status: "Status",
    status_open: "Open",
    status_closed: "Closed",
    status_all: "All",
    sort_by: "Sort by",
    sort_updated: "Last update",
    sort_created: "Created",
    sort_number: "Number",
    show: "Show",
    my_organization: "My organization",
    my_company: "My company",
    mine: "Mine",
    loading_tickets: "Loading tickets…",
    none_found: "0 tickets found.",
    none_on_page: Template("0 tickets on page {page}."),
    tickets_found: plural!(one: "{n} ticket found", other: "{n} tickets found"),
    tickets_shown: plural!(one: "{n} ticket shown", other: "{n} tickets shown"),
    count_on_page_of: Template("{count}, page {page} of {pages}."),
    count_on_page: Template("{count}, page {page}."),
    no_tickets: "No tickets found.",
    no_more_tickets: "No more tickets.",
    page_of: Template("Page {page} of {pages}"),
    page: Template("Page {page}"),
    pagination: "Pagination",
    previous_page: "Previous page",
    next_page: "Next page",
    updated_at: "Updated",
    colleagues_ticket: "Colleague's ticket",
    new_reply: "New reply",

    state_new: "New",
    state_open: "Open",
    state_pending: "Pending",
    state_closed: "Closed",

    loading_ticket: "Loading ticket…",
    ticket_not_found: "Ticket not found",
    ticket_not_openable: "You cannot open this ticket",
    back_to_tickets: "Back to my tickets",
    ticket: "Ticket",
    number: "Number",
    group: "Group",
    created: "Created",
    updated: "Updated",
    reopen_ticket: "Reopen ticket",
    close_ticket: "Close ticket",
    ticket_reopened: "Ticket reopened.",
    ticket_closed: "Ticket closed.",
    follow_up_refused: "This ticket is closed. The help desk asks for a new ticket for anything further.",
    create_new_ticket: "Create a new ticket",
    follow_up_may_be_refused: "This ticket is closed. The help desk may ask for a new ticket instead of \
        reopening it; if it does, your reply stays here.",
    follow_up_subject: Template("Follow-up to #{number}: {title}"),
    conversation: "Conversation",
    new_replies: plural!(one: "{n} new reply", other: "{n} new replies"),
    write_reply: "Write a reply",
    write_reply_reopen: "Write a reply to reopen this ticket",
    reply: "Reply",
    send_reply: "Send reply",
    sending: "Sending…",
    reply_sent: "Reply sent.",
    reply_empty: "Please write your reply first.",
    reply_sent_earlier: "Reply sent. (It had reached the help desk on the earlier attempt.)",
    earlier_reply_arrived: "Your earlier reply had reached the help desk. The changed text below \
        has not been sent.",
    checking_reply: "Checking whether the help desk received your reply…",
    reply_kept: "Your reply is kept. \u{201c}Try again\u{201d} first checks whether the help desk \
        already received it, so it is never sent twice.",
    reply_waits_offline: "You are offline. Your reply is kept here and can be sent once the \
        connection is back.",
    reply_waits_online: "The connection is back. Your reply has not been sent yet.",
    status_waits_offline: "You are offline. The ticket's status can be changed once the \
        connection is back.",
    status_waits_online: "The connection is back. The ticket's status has not been changed yet.",

    sender_support: "Support",
    sender_system: "System",
    role_support: "Support team",
    role_system: "Automatic message",
    role_you: "You",
    role_customer: "Customer",
    message_from: Template("Message from {name} ({role})"),
    message_not_displayed: "This message could not be displayed.",
    image_not_shown: "[image not shown]",
    image_not_shown_alt: Template("[image not shown: {alt}]"),
    images_as_files: "Images of this message that are only offered as files (they could contain active content):",
    image_file: "image",
    remote_images_blocked: "Images from other websites were blocked to protect your privacy.",
    show_images: "Show images",

    attachments: "Attachments",
    download: "Download",
    drop_zone: "Drop files here",
    attach_files: "Attach files",
    drop_hint: Template(" or drop files here (up to {max} each)"),
    reading_files: "Reading files…",
    files_to_send: "Files to send",
    remove: "Remove",
    remove_file: Template("Remove {name}"),
    file_too_big: Template("\u{201c}{name}\u{201d} is {size} — files may be at most {max}."),
    file_unreadable: Template("\u{201c}{name}\u{201d} could not be read."),
    not_kept_one: Template("\u{201c}{name}\u{201d} is not kept if this page is reloaded (files \
        are kept up to {limit} together): keep the page open until it is sent."),
    not_kept_many: plural!(
        one: "{count} file ({names}) is not kept if this page is reloaded (files are kept up to \
            {limit} together): keep the page open until it is sent.",
        other: "{count} files ({names}) are not kept if this page is reloaded (files are kept \
            up to {limit} together): keep the page open until they are sent.",
    ),
    quoted: Template("\u{201c}{name}\u{201d}"),
    list_separator: ", ",

    subject: "Subject",
    message: "Message",
    submit_ticket: "Submit ticket",
    submitting: "Submitting…",
    subject_missing: "Please enter a subject.",
    subject_too_long: plural!(
        one: "The subject may be at most {max} character.",
        other: "The subject may be at most {max} characters.",
    ),
    message_missing: "Please describe your request.",
    message_too_long: plural!(
        one: "The message may be at most {max} character.",
        other: "The message may be at most {max} characters.",
    ),
    checking_ticket: "Checking whether the help desk received your ticket…",
    ticket_kept: "Your ticket is kept. \u{201c}Try again\u{201d} first checks whether the help \
        desk already received it, so it is never created twice.",
    earlier_ticket_arrived: "Your earlier ticket had reached the help desk. The changed version \
        below has not been sent.",
    open_the_ticket: "Open the ticket",
    ticket_waits_offline: "You are offline. Your ticket is kept here and can be sent once the \
        connection is back.",
    ticket_waits_online: "The connection is back. Your ticket has not been sent yet.",
    create_not_allowed: "This help desk does not take new tickets through the portal. Please contact it \
        another way, for example by e-mail.",
    create_no_group: "This help desk takes new tickets in none of the groups this portal offers. Please \
        tell the help desk; your draft stays here.",
    field_required: "required",
    field_missing: "Please fill in this field.",
    field_not_a_number: "Please enter a whole number, for example 42.",
    field_not_a_date: "Please enter a valid date.",
    field_not_a_date_time: "Please enter a valid date and time.",
    field_not_an_option: "Please choose one of the offered values.",
    field_choose: "Please choose",
    field_yes: "Yes",
    field_no: "No",
    fields_loading: "Loading the help desk's fields…",

    page_not_found: "Page not found",
    nothing_here: "There is nothing at this address.",

    err_session_ended: "Your session has ended. Please sign in again.",
    err_not_found: "This ticket does not exist or you do not have access to it.",
    err_network: "The help desk could not be reached. Check your connection and try again.",
    err_timeout: "The help desk did not answer in time. Please try again.",
    err_server: Template("The help desk is not available right now (HTTP {status}). Please try \
        again in a moment."),
    err_unexpected: Template("The help desk answered unexpectedly (HTTP {status}). Please try \
        again."),
    err_unreadable: Template("The help desk sent an answer the portal could not read ({why}). \
        Please try again."),
    err_config_unavailable: Template("The portal's settings (config.json) could not be loaded \
        (HTTP {status})."),
    err_config_invalid: Template("The portal's settings (config.json) are not valid: {why}"),
    err_save_refused: "The browser refused to save the file.",
    err_sign_in_failed: "Sign-in failed. Please double-check your email or username and your password.",
    err_sign_in_failed_username: "Sign-in failed. Please double-check your username and password.",
    err_username_not_email: "This help desk signs you in with your username, not your email \
        address. Please enter your username.",
    err_maintenance: "The help desk is in maintenance mode. Please try again later.",
    err_not_accepted: "The help desk did not accept this. Please check your input.",
    err_change_not_accepted: Template("The help desk did not accept this change ({text})"),
    err_ticket_not_accepted: Template("The help desk did not accept a ticket with these values. \
        Your subject and message are kept: try another group, or send the ticket without \
        attachments. If it happens again, tell the help desk this reference: {text}"),
    err_ticket_not_openable: "You can see this ticket in the list, but the help desk does not let you open it: \
        it belongs to an organization you are only a secondary member of. Ask the help desk for access.",
    err_two_factor_unsupported: "Your account uses two-factor authentication, which this portal's \
        sign-in mode does not support. Please ask your help desk to switch the portal to session \
        sign-in (\"auth\": \"session\" in config.json).",
    err_token_access: "Signing in is not possible yet: the help desk has not given customers the \
        \"Token Access\" permission. An administrator can enable it in Zammad under Settings → \
        Roles → Customer → Token Access (user_preferences.access_token), or allow the portal's \
        session sign-in (config.json: \"zammad\": {\"session_fallback\": true}).",
    err_api_disabled: Template("Signing in is not possible: the help desk has switched off API \
        access ({text}). An administrator can enable \"API password access\" and \"API token \
        access\" in Zammad's system settings."),
    err_two_factor_wrong: "The two-factor code was not accepted. Please check it and try again.",
    err_two_factor_fallback_off: "Your account uses two-factor authentication. This portal signs \
        in with personal access tokens, which Zammad does not issue to such accounts, and its \
        settings forbid Zammad's own sign-in instead. An administrator can allow it in the \
        portal's config.json (\"zammad\": {\"session_fallback\": true}) or switch the portal to \
        session sign-in (\"auth\": \"session\").",
    err_token_access_disabled: "Signing in is not possible: Zammad's API token access is switched \
        off. An administrator can turn it on in Zammad under Settings → System → API → Token \
        Access, or allow the portal's session sign-in (config.json: \"zammad\": \
        {\"session_fallback\": true}).",
    err_password_access_disabled: "Signing in is not possible: Zammad's API password access is \
        switched off. An administrator can turn it on in Zammad under Settings → System → API → \
        Password Access, or allow the portal's session sign-in (config.json: \"zammad\": \
        {\"session_fallback\": true}).",
    err_account_locked: "Your password is refused now, although it was accepted a moment ago: \
        after too many failed sign-ins the help desk locks the account. Please ask the help desk \
        to unlock it.",
    err_sign_in_maybe_locked: "Sign-in failed again. After several failed sign-ins in a row the \
        help desk locks the account, and then even the right password is refused. If you are sure \
        of your password, please ask the help desk to unlock your account.",
    err_security_key_failed: "The security key could not be used (cancelled, timed out, or not \
        available in this browser). Please try again or choose another method.",
    err_security_key_refused: "The security key was not accepted. Please try again or choose \
        another method.",
    err_too_many_attempts: "Too many attempts in a short time. Please wait a minute and try again.",
    err_two_factor_no_method: "Your account's two-factor method is not one this portal supports. \
        Please sign in to the help desk directly or ask it for help.",
    err_files_too_large: "The files are too large for the help desk. Please send fewer or smaller files.",
    err_request_not_accepted: Template("The help desk did not accept the request ({text}). Please \
        contact the help desk if this persists."),
    err_help_desk: Template("The help desk reported an error ({text})."),
    err_closed_for_replies: "This ticket is closed for replies. Please create a new ticket.",
    err_routes_invalid: Template("The portal's Znuny routes in config.json are not valid: {why}"),
    err_no_route: Template("config.json has no Znuny route for {operation}."),
    err_no_queue: "config.json names no queue for new tickets.",

    why_cut_off: "the answer was cut off",
    why_not_json: "not valid JSON",
    why_content: Template("unexpected content: {detail}"),
    why_search_shape: "unknown search result shape",
    why_object: "expected a JSON object",
    why_array: "expected a JSON array",
    why_list: "expected a list of JSON objects",
    why_no_token: "no token in the answer",
    why_token_malformed: "the token in the answer is malformed",
    why_no_session: "no session in the answer",
    why_no_session_id: "no SessionID in the answer",
    why_session_id_malformed: "the SessionID in the answer is malformed",
    why_no_user_login: "no UserLogin in the session data",
    why_search_id: "a TicketID in the search answer is not a number",
    why_base64: "the file's content is not valid base64",
    why_ticket_id: "the TicketID in the answer is not a number",
    why_no_ticket_id: "no TicketID in the answer",

    forgot_password: "Forgot password?",
    forgot_heading: "Reset your password",
    forgot_intro: "Enter the email address or username of your account. If the help desk knows it, it sends you an email with a link to choose a new password.",
    send_reset_link: "Send link",
    reset_sent: "If an account with this email address or username exists, the help desk has sent it an email with a link to choose a new password. Please check your inbox and your spam folder.",
    missing_login: "Please enter your email address or username.",
    back_to_sign_in: "Back to sign in",
    create_account: "Create an account",
    first_name: "First name",
    last_name: "Last name",
    email_label: "Email",
    sign_up_submit: "Create account",
    sign_up_sent: "Thank you. The help desk has sent an email to this address with the next step: a link to confirm it, or, if it already belongs to an account, a link to choose a new password. Please check your inbox and your spam folder.",
    missing_sign_up: "Please enter your email address and a password.",
    change_password: "Change password",
    current_password: "Current password",
    new_password: "New password",
    repeat_password: "Repeat new password",
    missing_passwords: "Please fill in all password fields.",
    passwords_differ: "The two new passwords are not the same.",
    password_changed: "Your password has been changed.",
    err_feature_off: "The help desk does not offer this at the moment.",
    err_current_password_wrong: "The current password is not correct.",
    err_password_too_short: Template("The password must be at least {min} characters long."),
    err_password_needs_case: "The password must contain at least 2 lowercase and 2 uppercase letters.",
    err_password_needs_digit: "The password must contain at least 1 digit.",
    err_password_needs_special: "The password must contain at least 1 special character.",
    err_password_refused: Template("The help desk did not accept the password ({text})."),
    answers_may_help: "Answers that may help",
    answer_solved: "This answers my question",
    answer_not_solved: "I still need help",
    answer_leave_ask: "Glad it helped. Discard the ticket you started and go back to your tickets?",
    answer_leave: "Discard and leave",
    answer_keep: "Keep writing",
    answer_unavailable: "This answer cannot be shown right now.",

};
