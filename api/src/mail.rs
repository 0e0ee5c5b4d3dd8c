//! E-mail through the partnership's SMTP server, when one is configured
//! (`HARBOUR_SMTP_URL`). Messages say that something waits in Harbour and link to it;
//! they never carry participant data, since mailboxes are shared and phones are seen.

use lettre::message::header::ContentType;
use lettre::message::{Attachment, Mailbox, MultiPart, SinglePart};
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

/// The configured mailer, or none.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    /// A mailer through the SMTP server at `url` (`smtp://…`, `smtps://…`), sending as
    /// `from`, linking to Harbour at `public_url`; `None` when no server is given.
    pub fn new(url: Option<&str>, from: &str, public_url: &str) -> Result<Option<Mailer>, String> {
        let Some(url) = url.filter(|u| !u.is_empty()) else { return Ok(None) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("HARBOUR_SMTP_URL is not valid: {e}"))?.build();
        let from = from.parse().map_err(|e| format!("HARBOUR_SMTP_FROM is not a mailbox: {e}"))?;
        Ok(Some(Mailer { transport, from, public_url: public_url.trim_end_matches('/').to_owned() }))
    }

    /// A link to `path` (`/referrals/…`) in Harbour as its users reach it.
    pub fn link(&self, path: &str) -> String {
        format!("{}{path}", self.public_url)
    }

    /// The address messages are sent from (a calendar invitation's organizer).
    pub fn from_address(&self) -> String {
        self.from.email.to_string()
    }

    /// Sends one message to each of `addresses`.
    pub async fn send(&self, addresses: &[String], subject: &str, body: &str) -> Result<(), String> {
        self.send_each(addresses, subject, |builder| builder.body(body.to_owned())).await
    }

    /// Sends one message to each of `addresses` with a calendar invitation
    /// (`text/calendar`, RFC 6047: `method` is the calendar's METHOD, REQUEST or CANCEL),
    /// both as the message's alternative, which calendars act on, and as a file.
    pub async fn send_invitation(&self, addresses: &[String], subject: &str, body: &str, calendar: &str, method: &str) -> Result<(), String> {
        let calendar_type = ContentType::parse(&format!("text/calendar; charset=utf-8; method={method}")).map_err(|e| e.to_string())?;
        self.send_each(addresses, subject, |builder| {
            builder.multipart(
                MultiPart::mixed()
                    .multipart(MultiPart::alternative().singlepart(SinglePart::plain(body.to_owned())).singlepart(SinglePart::builder().header(calendar_type.clone()).body(calendar.to_owned())))
                    .singlepart(Attachment::new("invite.ics".to_owned()).body(calendar.to_owned(), calendar_type.clone())),
            )
        })
        .await
    }

    async fn send_each<F>(&self, addresses: &[String], subject: &str, body: F) -> Result<(), String>
    where
        F: Fn(lettre::message::MessageBuilder) -> Result<Message, lettre::error::Error>,
    {
        for address in addresses {
            let to: Mailbox = address.parse().map_err(|e| format!("an address is not valid: {e}"))?;
            let message = body(Message::builder().from(self.from.clone()).to(to).subject(subject)).map_err(|e| e.to_string())?;
            self.transport.send(message).await.map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
