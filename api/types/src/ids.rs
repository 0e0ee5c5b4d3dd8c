//! The ids of the records that carry a participant's data, and of the organizations that
//! hold them. Each is its own type in code (see `typed_id!`); on the wire and in the
//! database they stay strings, so the API document does not change. A new module keeping participant data declares its ids here.

use serde::{Deserialize, Serialize};

typed_id!(
    /// A participant's id.
    ParticipantId
);

typed_id!(
    /// A referral's id.
    ReferralId
);

typed_id!(
    /// A consent's id.
    ConsentId
);

typed_id!(
    /// An organization's id: whose a participant, a referral's side, a listing or an
    /// account is, which every authorization decision compares.
    OrganizationId
);

typed_id!(
    /// A case conference's id.
    ConferenceId
);
