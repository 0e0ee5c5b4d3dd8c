//! E-mail through the partnership's SMTP server, when one is configured
//! (`HARBOUR_SMTP_URL`). Messages say that something waits in Harbour and link to it;
//! they never carry participant data, since mailboxes are shared and phones are seen.

use lettre::message::Mailbox;
use lettre::{AsyncSmtpTransport, AsyncTransport, Message, Tokio1Executor};

use crate::config::Settings;
use crate::referrals::service::Reminder;

/// The configured mailer, or none.
#[derive(Clone)]
pub struct Mailer {
    transport: AsyncSmtpTransport<Tokio1Executor>,
    from: Mailbox,
    public_url: String,
}

impl Mailer {
    /// A mailer from the settings; `None` when no SMTP server is configured.
    pub fn from_settings(settings: &Settings) -> Result<Option<Mailer>, String> {
        let Some(url) = settings.smtp_url.as_deref().filter(|u| !u.is_empty()) else { return Ok(None) };
        let transport = AsyncSmtpTransport::<Tokio1Executor>::from_url(url).map_err(|e| format!("HARBOUR_SMTP_URL is not valid: {e}"))?.build();
        let from = settings.smtp_from.parse().map_err(|e| format!("HARBOUR_SMTP_FROM is not a mailbox: {e}"))?;
        Ok(Some(Mailer { transport, from, public_url: settings.public_url.trim_end_matches('/').to_owned() }))
    }

    /// Sends a reminder of an overdue referral to each of its addresses.
    pub async fn send_reminder(&self, reminder: &Reminder) -> Result<(), String> {
        for address in &reminder.addresses {
            let to: Mailbox = address.parse().map_err(|e| format!("an address is not valid: {e}"))?;
            let message = Message::builder()
                .from(self.from.clone())
                .to(to)
                .subject("Harbour: a referral is waiting for an answer / une orientation attend une réponse")
                .body(format!(
                    "A referral to {service} has had no answer by its due time. Open it in Harbour:\n{link}\n\n\
                     Une orientation vers {service} n'a pas reçu de réponse dans le délai prévu. Ouvrez-la dans Harbour :\n{link}\n\n\
                     This message carries no information about the participant. / Ce message ne contient aucun renseignement sur la personne.\n",
                    service = reminder.service_name,
                    link = format!("{}/referrals/{}", self.public_url, reminder.referral_id),
                ))
                .map_err(|e| e.to_string())?;
            self.transport.send(message).await.map_err(|e| e.to_string())?;
        }
        Ok(())
    }
}
