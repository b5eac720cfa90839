//! The words of each message: a subject, a plain-text part and an HTML part, each with the
//! product's name and the link to the page that acts on it. Everything a person typed (titles,
//! names) is escaped in the HTML part.

use serde_json::Value;

use crate::domain::notifications::Kind;

pub const PRODUCT: &str = "ksbfolio";

/// A message's words.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    pub subject: String,
    pub text: String,
    pub html: String,
}

/// One thing to tell someone about: what happened, its facts, and the link that acts on it.
#[derive(Debug, Clone)]
pub struct Item<'a> {
    pub kind: Kind,
    pub payload: &'a Value,
    pub apprentice_name: Option<&'a str>,
    pub link: String,
}

/// `&`, `<`, `>`, `"` and `'` as HTML entities.
pub fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len());
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&#39;"),
            c => out.push(c),
        }
    }
    out
}

fn field<'a>(payload: &'a Value, name: &str) -> &'a str {
    payload.get(name).and_then(Value::as_str).unwrap_or("")
}

/// The sentence saying what happened, and the words of its button.
fn headline(item: &Item<'_>) -> (String, &'static str) {
    let who = item.apprentice_name.unwrap_or("Your apprentice");
    let title = field(item.payload, "title");
    match item.kind {
        Kind::EvidenceSubmitted => (
            format!("{who} submitted “{title}” for review."),
            "Review the evidence",
        ),
        Kind::ChangesRequested => (
            format!("Your tutor asked for changes to “{title}”."),
            "See the feedback",
        ),
        Kind::EvidenceAccepted => (
            format!("Your evidence “{title}” was accepted."),
            "Open the evidence",
        ),
        Kind::KsbEvidenced => {
            let codes = item
                .payload
                .get("codes")
                .and_then(Value::as_array)
                .map(|codes| {
                    codes
                        .iter()
                        .filter_map(Value::as_str)
                        .collect::<Vec<_>>()
                        .join(", ")
                })
                .unwrap_or_default();
            (
                format!("{codes} of {who} is ready to sign off."),
                "Sign off",
            )
        }
        Kind::ReviewToSign => (
            format!(
                "The progress review of {} held on {} waits for your signature.",
                who,
                field(item.payload, "held_on")
            ),
            "Open the review",
        ),
        Kind::ReviewDueSoon => (
            format!(
                "The next progress review of {who} is due by {}.",
                field(item.payload, "due_by")
            ),
            "Open the reviews",
        ),
        Kind::ReviewOverdue => (
            format!(
                "The progress review of {who} was due by {} and is overdue.",
                field(item.payload, "due_by")
            ),
            "Open the reviews",
        ),
        Kind::OtjRejected => (
            format!(
                "Your off-the-job training entry of {} was rejected: {}",
                field(item.payload, "occurred_on"),
                field(item.payload, "reason")
            ),
            "Correct the entry",
        ),
        Kind::SignInLink => (
            "Here is the sign-in link you asked for.".to_string(),
            "Sign in",
        ),
        Kind::PasswordLink => (
            "An administrator sent you a link to set your password.".to_string(),
            "Set your password",
        ),
        Kind::Digest => ("Your daily summary.".to_string(), "Open"),
    }
}

const SINGLE_USE: &str = "The link signs you in once and works for 72 hours; after that, sign in \
                          as usual and the page opens.";

fn html_page(greeting: &str, body: &str) -> String {
    format!(
        "<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>{PRODUCT}</title></head>\
         <body style=\"font-family:Arial,sans-serif;color:#212b32\">\
         <p style=\"font-size:19px;font-weight:bold;color:#005eb8\">{PRODUCT}</p>\
         <p>{}</p>{body}\
         <p style=\"color:#4c6272;font-size:14px\">You get these e-mails from {PRODUCT}, the \
         apprenticeship e-portfolio. Choose how often under Account, Notifications.</p>\
         </body></html>",
        escape(greeting)
    )
}

fn button(link: &str, label: &str) -> String {
    format!(
        "<p><a href=\"{}\" style=\"background:#007f3b;color:#fff;padding:8px 16px;\
         text-decoration:none;font-weight:bold\">{}</a></p>",
        escape(link),
        escape(label)
    )
}

/// One event, one message.
pub fn single(recipient_name: &str, item: &Item<'_>) -> Rendered {
    let (sentence, action) = headline(item);
    let greeting = format!("Dear {recipient_name},");
    let text = format!(
        "{PRODUCT}\n\n{greeting}\n\n{sentence}\n\n{action}: {}\n\n{SINGLE_USE}\n",
        item.link
    );
    let body = format!(
        "<p>{}</p>{}<p>{}</p>",
        escape(&sentence),
        button(&item.link, action),
        escape(SINGLE_USE)
    );
    Rendered {
        subject: format!("{PRODUCT}: {sentence}"),
        text,
        html: html_page(&greeting, &body),
    }
}

/// The sign-in link someone asked for.
pub fn sign_in(recipient_name: &str, link: &str) -> Rendered {
    let greeting = format!("Dear {recipient_name},");
    let note = "The link works once, for 15 minutes. If you did not ask for it, ignore this \
                e-mail: nobody can sign in without it.";
    Rendered {
        subject: format!("{PRODUCT}: your sign-in link"),
        text: format!(
            "{PRODUCT}\n\n{greeting}\n\nHere is the sign-in link you asked for.\n\nSign in: \
             {link}\n\n{note}\n"
        ),
        html: html_page(
            &greeting,
            &format!(
                "<p>Here is the sign-in link you asked for.</p>{}<p>{}</p>",
                button(link, "Sign in"),
                escape(note)
            ),
        ),
    }
}

/// The link to set a password that an administrator sent; it works for `valid_hours`.
pub fn password_link(recipient_name: &str, link: &str, valid_hours: i64) -> Rendered {
    let greeting = format!("Dear {recipient_name},");
    let intro = "An administrator of ksbfolio sent you a link to set your password.";
    let note = format!(
        "The link works once, for {valid_hours} hours; a newer link replaces it. Setting your \
         password signs you out everywhere, so sign in again with the new one. If you did not \
         expect this e-mail, ignore it: your password stays as it is."
    );
    Rendered {
        subject: format!("{PRODUCT}: set your password"),
        text: format!(
            "{PRODUCT}\n\n{greeting}\n\n{intro}\n\nSet your password: {link}\n\n{note}\n"
        ),
        html: html_page(
            &greeting,
            &format!(
                "<p>{}</p>{}<p>{}</p>",
                escape(intro),
                button(link, "Set your password"),
                escape(&note)
            ),
        ),
    }
}

/// Everything new for one person in one message.
pub fn digest(recipient_name: &str, items: &[Item<'_>]) -> Rendered {
    let greeting = format!("Dear {recipient_name},");
    let count = items.len();
    let intro = if count == 1 {
        "One thing waits for you in ksbfolio:".to_string()
    } else {
        format!("{count} things wait for you in ksbfolio:")
    };
    let mut text = format!("{PRODUCT}\n\n{greeting}\n\n{intro}\n\n");
    let mut list = String::from("<ul>");
    for item in items {
        let (sentence, action) = headline(item);
        text.push_str(&format!("- {sentence}\n  {action}: {}\n", item.link));
        list.push_str(&format!(
            "<li><p>{} <a href=\"{}\">{}</a></p></li>",
            escape(&sentence),
            escape(&item.link),
            escape(action)
        ));
    }
    list.push_str("</ul>");
    text.push_str(&format!("\n{SINGLE_USE}\n"));
    Rendered {
        subject: format!("{PRODUCT}: your daily summary ({count} new)"),
        text,
        html: html_page(
            &greeting,
            &format!(
                "<p>{}</p>{list}<p>{}</p>",
                escape(&intro),
                escape(SINGLE_USE)
            ),
        ),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn what_people_typed_is_escaped_in_the_html_part_and_kept_in_the_text_part() {
        let payload = serde_json::json!({ "title": "<script>alert('x')</script> & more" });
        let item = Item {
            kind: Kind::EvidenceSubmitted,
            payload: &payload,
            apprentice_name: Some("Ann <b>Lee</b>"),
            link: "https://example.test/sign-in/link?token=a&next=%2F".into(),
        };
        let message = single("Tom \"T\" Tutor", &item);
        assert!(!message.html.contains("<script>"));
        assert!(!message.html.contains("<b>Lee"));
        assert!(
            message
                .html
                .contains("&lt;script&gt;alert(&#39;x&#39;)&lt;/script&gt; &amp; more")
        );
        assert!(message.html.contains("Tom &quot;T&quot; Tutor"));
        assert!(message.html.contains("token=a&amp;next=%2F"));
        assert!(message.text.contains("<script>alert('x')</script> & more"));
        assert!(
            message
                .text
                .contains("https://example.test/sign-in/link?token=a&next=%2F")
        );
        assert!(message.subject.starts_with("ksbfolio: "));
    }

    #[test]
    fn a_password_link_has_both_parts_with_the_link_and_its_lifetime() {
        let link = "https://x.test/set-password?token=abc&x=1";
        let message = password_link("Mo <Mentor>", link, 24);
        assert_eq!(message.subject, "ksbfolio: set your password");
        assert!(
            message
                .text
                .contains(&format!("Set your password: {link}\n"))
        );
        assert!(message.text.contains("Dear Mo <Mentor>,"));
        assert!(message.text.contains("once, for 24 hours"));
        assert!(message.html.contains("token=abc&amp;x=1"));
        assert!(message.html.contains("Dear Mo &lt;Mentor&gt;,"));
        assert!(message.html.contains(">Set your password</a>"));
    }

    #[test]
    fn a_digest_lists_every_item_with_its_link() {
        let one = serde_json::json!({ "codes": ["K1", "S2"] });
        let two = serde_json::json!({ "held_on": "2026-11-30" });
        let items = [
            Item {
                kind: Kind::KsbEvidenced,
                payload: &one,
                apprentice_name: Some("Ann"),
                link: "https://x.test/1".into(),
            },
            Item {
                kind: Kind::ReviewToSign,
                payload: &two,
                apprentice_name: Some("Ann"),
                link: "https://x.test/2".into(),
            },
        ];
        let message = digest("Meg", &items);
        assert_eq!(message.subject, "ksbfolio: your daily summary (2 new)");
        assert!(message.text.contains("K1, S2 of Ann is ready to sign off."));
        assert!(
            message.text.contains("https://x.test/1") && message.text.contains("https://x.test/2")
        );
        assert!(message.html.contains("held on 2026-11-30"));
    }
}
