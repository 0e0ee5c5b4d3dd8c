//! Every string the interface shows, in English and French. A message cannot be added
//! without both translations: the `messages!` table below takes them in pairs.

use harbour_types::ErrorCode;
use leptos::prelude::*;

/// An interface language.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Lang {
    /// English.
    En,
    /// French.
    Fr,
}

impl Lang {
    /// The BCP 47 tag, for `<html lang>`.
    pub fn tag(self) -> &'static str {
        match self {
            Lang::En => "en",
            Lang::Fr => "fr",
        }
    }

    /// The language a tag or locale names, English otherwise.
    pub fn from_tag(tag: &str) -> Lang {
        if tag.to_ascii_lowercase().starts_with("fr") {
            Lang::Fr
        } else {
            Lang::En
        }
    }

    /// A day's short name, as `Intl.DateTimeFormat` writes it (`weekday: "short"`).
    pub fn weekday_short(self, day: chrono::Weekday) -> &'static str {
        const EN: [&str; 7] = ["Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"];
        const FR: [&str; 7] = ["lun.", "mar.", "mer.", "jeu.", "ven.", "sam.", "dim."];
        let day = day.num_days_from_monday() as usize;
        match self {
            Lang::En => EN[day],
            Lang::Fr => FR[day],
        }
    }

    /// The other language, for the switch.
    pub fn other(self) -> Lang {
        match self {
            Lang::En => Lang::Fr,
            Lang::Fr => Lang::En,
        }
    }

    /// Of a record's two names (or texts), the one in this language: the French one when
    /// the language is French and it is written, the English one otherwise.
    pub fn pick<'a>(self, en: &'a str, fr: &'a str) -> &'a str {
        if self == Lang::Fr && !fr.is_empty() {
            fr
        } else {
            en
        }
    }
}

/// A table of messages, `NAME { Key => "English", "Français"; … }`: the interface's own
/// (`Msg`, below), and a lazy screen's (each in its screen's module), whose strings then
/// load with the screen's chunk rather than before the first screen can show.
macro_rules! messages {
    ($name:ident { $($key:ident => $en:literal, $fr:literal;)* }) => {
        /// A message of the interface.
        #[derive(Debug, Clone, Copy, PartialEq, Eq)]
        pub enum $name { $($key),* }

        impl $name {
            /// The message in a language. A table, not a `match`: the match compiled to 12 KB
            /// of wasm that a phone compiled before the first screen could show.
            pub fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                const TEXTS: &[[&str; 2]] = &[$([$en, $fr]),*];
                TEXTS[self as usize][lang as usize]
            }
        }

        impl $crate::i18n::Message for $name {
            fn text(self, lang: $crate::i18n::Lang) -> &'static str {
                $name::text(self, lang)
            }
        }
    };
}
pub(crate) use messages;

messages! { Msg {
    AppName => "Harbour", "Harbour";
    PlansNow => "Plans now", "Plans en ce moment";
    GoalsByArea => "Goals by area of life", "Objectifs par domaine de vie";
    ConferencesAndActions => "Case conferences and their action items", "Conférences de cas et leurs actions";
    QuickExit => "Quick exit", "Sortie rapide";
    QuickExitHint => "Leave this site now (or press Esc twice)", "Quitter ce site maintenant (ou appuyer deux fois sur Échap)";
    SwitchLanguage => "Français", "English";
    SwitchLanguageLabel => "Afficher en français", "Show in English";
    SignInTitle => "Sign in", "Connexion";
    SignInIntro => "For staff of partner organizations.", "Pour le personnel des organismes partenaires.";
    Email => "E-mail address", "Adresse courriel";
    Password => "Password", "Mot de passe";
    SignIn => "Sign in", "Se connecter";
    SigningIn => "Signing in…", "Connexion…";
    SignOut => "Sign out", "Déconnexion";
    Loading => "Loading…", "Chargement…";
    NotFound => "This page does not exist.", "Cette page n'existe pas.";
    GoHome => "Go to the home page", "Aller à l'accueil";
    ChangePasswordFirst => "Choose a new password before you continue.", "Choisissez un nouveau mot de passe avant de continuer.";
    CurrentPassword => "Current password", "Mot de passe actuel";
    NewPassword => "New password (at least 12 characters)", "Nouveau mot de passe (au moins 12 caractères)";
    ChangePassword => "Change password", "Changer le mot de passe";
    PasswordChanged => "Password changed. Sign in with your new password.", "Mot de passe changé. Connectez-vous avec le nouveau mot de passe.";
    ErrorInvalidCredentials => "The e-mail address or password is not right.", "L'adresse courriel ou le mot de passe n'est pas exact.";
    ErrorTooManyAttempts => "Too many attempts. Wait a moment, then try again.", "Trop de tentatives. Attendez un moment, puis réessayez.";
    ErrorOffline => "No connection to Harbour. Check your signal and try again.", "Aucune connexion à Harbour. Vérifiez votre réseau et réessayez.";
    ErrorValidation => "Some fields are not valid.", "Certains champs ne sont pas valides.";
    ErrorWrongCurrentPassword => "The current password is not right.", "Le mot de passe actuel n'est pas exact.";
    ErrorGeneric => "Something went wrong. Try again.", "Une erreur s'est produite. Réessayez.";
    Directory => "Find a service", "Trouver un service";
    SearchLabel => "What do you need?", "De quoi avez-vous besoin?";
    SearchPlaceholder => "shelter, food, legal…", "hébergement, nourriture, juridique…";
    Filters => "Filters", "Filtres";
    MoreFilters => "More filters", "Plus de filtres";
    CulturalSupport => "Cultural support", "Soutien culturel";
    AnyCulturalSupport => "Any", "Tous";
    GenderServed => "Serves", "Accueille";
    Everyone => "Everyone", "Tout le monde";
    GenderWomen => "Girls and women", "Filles et femmes";
    GenderMen => "Boys and men", "Garçons et hommes";
    GenderDiverse => "Trans and gender-diverse people", "Personnes trans et de genre divers";
    AgeOfPerson => "Age of the person", "Âge de la personne";
    HasSpaceNow => "Has space now", "A de la place maintenant";
    TakesReferrals => "Takes referrals in Harbour", "Reçoit des orientations dans Harbour";
    ClearFilters => "Clear filters", "Effacer les filtres";
    OpenNow => "Open now", "Ouvert maintenant";
    OpensAt => "opens", "ouvre";
    NearMe => "Near me", "Près de moi";
    LocationUnavailable => "Your location is not available. Allow it, or choose a region.", "Votre position n'est pas disponible. Autorisez-la, ou choisissez une région.";
    Open247 => "24/7", "24 h sur 24";
    NoIdNeeded => "No ID needed", "Aucune pièce d'identité";
    YouthOnly => "For youth", "Pour les jeunes";
    InFrench => "In French", "En français";
    AllCategories => "All categories", "Toutes les catégories";
    AllRegions => "All regions", "Toutes les régions";
    Category => "Category", "Catégorie";
    Region => "Region", "Région";
    ResultsCount => "services found", "services trouvés";
    NoResults => "No service matches. Try fewer words or filters.", "Aucun service ne correspond. Essayez moins de mots ou de filtres.";
    Searching => "Searching…", "Recherche…";
    OpenLabel => "Open now", "Ouvert";
    ClosedLabel => "Closed now", "Fermé";
    CapacityAccepting => "Accepting", "Accepte";
    CapacityWaitlist => "Waitlist", "Liste d'attente";
    CapacityFull => "Full", "Complet";
    UpdatedAgo => "updated", "mis à jour";
    MinutesAgo => "min ago", "min";
    HoursAgo => "h ago", "h";
    DaysAgo => "days ago", "jours";
    KmAway => "km", "km";
    About => "about", "environ";
    Call => "Call", "Appeler";
    Text => "Text", "Texto";
    Directions => "Directions", "Itinéraire";
    BackToResults => "Back to results", "Retour aux résultats";
    Hours => "Hours", "Heures";
    HolidayHours => "Holiday hours", "Horaire des jours fériés";
    ClosedAllDay => "closed", "fermé";
    Eligibility => "Who it is for", "Pour qui";
    Ages => "Ages", "Âges";
    WhatToBring => "What to bring", "Quoi apporter";
    Languages => "Languages", "Langues";
    HowToRefer => "How to get this service", "Comment obtenir ce service";
    Where => "Where", "Où";
    ConfidentialLocation => "Confidential location: the address is not shared.", "Lieu confidentiel : l'adresse n'est pas communiquée.";
    AfterHours => "after hours", "après les heures";
    ServiceNotFound => "This service could not be found.", "Ce service est introuvable.";
    AttrNoId => "No ID needed", "Sans pièce d'identité";
    AttrNoLabel => "No need to self-identify", "Sans besoin de s'identifier";
    AttrWalkIn => "Walk-in", "Sans rendez-vous";
    AttrYouth => "Youth", "Jeunes";
    AttrIndigenous => "Indigenous supports", "Soutiens autochtones";
    AttrAfricanNovaScotian => "African Nova Scotian supports", "Soutiens afro-néo-écossais";
    Attr2slgbtq => "2SLGBTQ+ affirming", "Inclusif 2SLGBTQ+";
    AttrNewcomer => "Newcomer supports", "Soutiens aux nouveaux arrivants";
    Attr2slgbtqCommunity => "2SLGBTQ+ community supports", "Soutiens communautaires 2SLGBTQ+";
    AttrHarmReduction => "Harm reduction", "Réduction des méfaits";
    AttrPeerSupport => "Peer support (lived experience)", "Soutien par les pairs (vécu)";
    AttrAccompaniment => "Goes with people to appointments", "Accompagne aux rendez-vous";
    AttrTransportHelp => "Help with transport", "Aide au transport";
    AttrChildcareHelp => "Help with childcare", "Aide pour la garde d'enfants";
    AttrTraumaInformed => "Trauma-informed", "Tenant compte des traumatismes";
    AttrExploitationTrained => "Staff trained on sexual exploitation", "Personnel formé sur l'exploitation sexuelle";
    StagePrecontemplation => "Not yet considering change", "Ne pense pas encore au changement";
    StageContemplation => "Considering change", "Pense au changement";
    StagePreparation => "Preparing to change", "Se prépare au changement";
    StageAction => "Making a change", "Passe à l'action";
    StageMaintenance => "Keeping a change", "Maintient le changement";
    PillarPrevention => "Prevention", "Prévention";
    PillarIntervention => "Intervention", "Intervention";
    PillarExitHousing => "Exit and housing", "Sortie et logement";
    HowItWorks => "How it works", "Façon de travailler";
    StagesOfChange => "Stages of change served", "Étapes de changement servies";
    Pillars => "Pillars", "Piliers";
    StatusRunning => "Running", "En service";
    StatusPaused => "Paused", "En pause";
    StatusClosedForAWhile => "Closed for a while", "Fermé temporairement";
    StatusRetired => "Retired (closed for good)", "Retiré (fermé définitivement)";
    AddService => "Add a service", "Ajouter un service";
    Opens => "Opens", "Ouvre";
    Closes => "Closes (before opening: past midnight)", "Ferme (avant l'ouverture : après minuit)";
    DateNotValid => "A date is not valid: use the date picker.", "Une date n'est pas valide : utilisez le sélecteur de date.";
    Categories => "Categories", "Catégories";
    ChangedSinceOpened => "Someone else saved a change since you opened this. Open it again to see their change, then redo yours.", "Quelqu'un d'autre a enregistré un changement depuis que vous avez ouvert cette fiche. Ouvrez-la de nouveau pour voir ce changement, puis refaites le vôtre.";
    ListingConfirmed => "Listing confirmed current by the partnership on", "Fiche confirmée à jour par le partenariat le";
    ListingNeverConfirmed => "This listing has not been confirmed by the partnership yet.", "Cette fiche n'a pas encore été confirmée par le partenariat.";
    ConfirmListing => "Confirm this listing is current", "Confirmer que cette fiche est à jour";
    AddPlace => "Add a place", "Ajouter un lieu";
    VisibleToEveryone => "Everyone, including the public", "Tout le monde, y compris le public";
    VisibleToPartners => "Signed-in partners only", "Partenaires connectés seulement";
    VisibleToUsOnly => "Only our organization (safe house)", "Notre organisme seulement (maison d'hébergement sécuritaire)";
    RegionsServed => "Regions served", "Régions desservies";
    MyOrganization => "My organization", "Mon organisme";
    OfflineBanner => "No connection: showing the directory saved on this phone. Capacity may be out of date.", "Aucune connexion : le répertoire enregistré sur ce téléphone est affiché. La capacité peut être périmée.";
    TryAgain => "Try again", "Réessayer";
    MainNavigation => "Main", "Principale";
    CapacitySaved => "Capacity saved.", "Capacité enregistrée.";
    ChangedElsewhere => "Someone else changed this service. It has been reloaded: check it and try again.", "Quelqu'un d'autre a modifié ce service. Il a été rechargé : vérifiez-le et réessayez.";
    Participants => "Participants", "Participants";
    Conferences => "Conferences", "Conférences";
    Groups => "Groups", "Groupes";
    AboutOrganization => "About the organization", "À propos de l'organisme";
    OurParticipants => "Ours", "Les nôtres";
    SharedWithUs => "Shared with us", "Partagés avec nous";
    FindByAlias => "Find by alias", "Chercher par pseudonyme";
    RecordParticipant => "Record a participant", "Inscrire un participant";
    NoParticipants => "No participant found.", "Aucun participant trouvé.";
    Alias => "Alias (the name they choose)", "Pseudonyme (le nom choisi par la personne)";
    AgeBand => "Age", "Âge";
    NotGiven => "Not given", "Non précisé";
    Pronouns => "Pronouns", "Pronoms";
    LanguagesSpoken => "Languages (commas between)", "Langues (séparées par des virgules)";
    SafeContact => "Safe contact", "Contact sécuritaire";
    ContactMethod => "Safe way to reach them", "Moyen sûr de joindre la personne";
    ContactTimes => "When it is safe", "Quand c'est sûr";
    ContactInstructions => "Anything else to know", "Autres consignes";
    NoVoicemail => "Never leave a voicemail", "Ne jamais laisser de message vocal";
    PrimaryContact => "Primary contact (coordinates the case)", "Personne-ressource (coordonne le dossier)";
    NoPrimaryContact => "Nobody yet", "Personne pour l'instant";
    NeedCategories => "Kinds of help they are looking for", "Types d'aide recherchés";
    ByPhoneCall => "Phone call", "Appel";
    ByTextMessage => "Text message", "Texto";
    ByEmail => "E-mail", "Courriel";
    InPerson => "In person", "En personne";
    ThroughWorker => "Only through their worker", "Seulement par son intervenant";
    NeedsNote => "What they are looking for", "Ce que la personne recherche";
    IdentityOptional => "Identity (optional, encrypted)", "Identité (facultative, chiffrée)";
    LegalName => "Legal name", "Nom légal";
    DateOfBirth => "Date of birth", "Date de naissance";
    Phone => "Phone", "Téléphone";
    SelfDescription => "In their own words", "Dans ses propres mots";
    SafetyNotes => "Safety (risks, people to avoid)", "Sécurité (risques, personnes à éviter)";
    Save => "Save", "Enregistrer";
    Saving => "Saving…", "Enregistrement…";
    ParticipantNotFound => "This participant could not be found.", "Ce participant est introuvable.";
    RecordConsent => "Record consent", "Recueillir un consentement";
    StatusActive => "Active", "Actif";
    StatusExpired => "Expired", "Expiré";
    StatusRevoked => "Withdrawn", "Retiré";
    StatusSuperseded => "Replaced", "Remplacé";
    SharedWith => "Shared with", "Communiqué à";
    ForPurposes => "For", "Pour";
    WhichInformation => "Which information", "Quels renseignements";
    PurposeReferral => "Referral", "Orientation";
    PurposeInformationSharing => "Information sharing", "Échange de renseignements";
    PurposeCaseConference => "Case conference", "Conférence de cas";
    CategoryIdentity => "Identity (name, birth date, phone)", "Identité (nom, naissance, téléphone)";
    CategoryContact => "Safe contact", "Contact sécuritaire";
    CategoryNeeds => "Needs", "Besoins";
    CategorySafety => "Safety", "Sécurité";
    CategoryCaseNotes => "Case notes", "Notes de dossier";
    Withdrawn => "Consent withdrawn: access ended now.", "Consentement retiré : l'accès a cessé.";
    SafetyPlan => "Safety plan", "Plan de sécurité";
    SafetyPlanSaved => "Saved as a new revision.", "Enregistré comme nouvelle révision.";
    SafetyPlanChanged => "Someone changed the plan meanwhile: reopen it to see their revision.", "Quelqu'un a modifié le plan entre-temps : rouvrez-le pour voir sa révision.";
    PlanWarningSigns => "Warning signs", "Signes avant-coureurs";
    PlanSafePeople => "Safe people and places", "Personnes et lieux sûrs";
    PlanContact => "Safe ways to reach them, code words", "Façons sûres de la joindre, mots de code";
    PlanIfFound => "If someone they fear finds them", "Si une personne qu'elle craint la trouve";
    PlanEmergency => "Emergency contacts", "Contacts d'urgence";
    PlanDigital => "Digital safety", "Sécurité numérique";
    PlanDocuments => "Documents to keep safe", "Documents à mettre en sûreté";
    PlanNextTime => "Next time", "La prochaine fois";
    ReasonParticipantRequest => "The participant asked", "La personne l'a demandé";
    ReasonRecordedInError => "Recorded in error", "Créé par erreur";
    ReasonDuplicate => "Duplicate record", "Dossier en double";
    ByPhone => "By phone", "Par téléphone";
    InWriting => "In writing", "Par écrit";
    OtherWay => "Other", "Autre";
    DisclosureReport => "Disclosure report", "Rapport de divulgation";
    DisclosureIntro => "Everyone who saw or received this participant's information, when, and why.", "Toutes les personnes qui ont vu ou reçu les renseignements de ce participant, quand et pourquoi.";
    Print => "Print", "Imprimer";
    When => "When", "Quand";
    Who => "Who", "Qui";
    WhatDone => "What", "Quoi";
    Why => "Why", "Pourquoi";
    SignHere => "Sign here with a finger", "Signez ici avec le doigt";
    ClearSignature => "Clear", "Effacer";
    SignFirst => "Sign first.", "Signez d'abord.";
    FileTooLarge => "The file is larger than 5 MB.", "Le fichier dépasse 5 Mo.";
    ChooseScope => "Choose at least one organization, purpose and kind of information.", "Choisissez au moins un organisme, un but et un type de renseignement.";
    Referrals => "Referrals", "Orientations";
    Waiting => "waiting for an answer", "en attente de réponse";
    Received => "Received", "Reçues";
    Sent => "Sent", "Envoyées";
    NoReferrals => "No referral here.", "Aucune orientation ici.";
    Refer => "Refer to a service", "Orienter vers un service";
    ChooseService => "Service", "Service";
    UrgencyRoutine => "Routine", "Courant";
    UrgencySoon => "Soon", "Bientôt";
    UrgencySameDay => "Same day", "Le jour même";
    UrgencyEmergency => "Emergency", "Urgence";
    WhatTheyNeed => "What they need", "Ce dont la personne a besoin";
    HowToReach => "How to reach them safely", "Comment la joindre en sécurité";
    ConfirmFirst => "Check with the participant, then tick the box.", "Vérifiez avec la personne, puis cochez la case.";
    Overdue => "Overdue", "En retard";
    ActionSend => "Send", "Envoyer";
    ActionAccept => "Accept", "Accepter";
    ActionDecline => "Decline", "Refuser";
    ActionStart => "Start", "Commencer";
    ActionComplete => "Close with an outcome", "Clore avec un résultat";
    ActionWithdraw => "Withdraw", "Retirer";
    OutcomeSuccessful => "They got the service", "La personne a reçu le service";
    OutcomeUnsuccessful => "They did not", "La personne ne l'a pas reçu";
    ReasonNoCapacity => "No capacity", "Aucune place";
    ReasonNotEligible => "Not eligible", "Non admissible";
    ReasonOutsideArea => "Outside service area", "Hors du territoire";
    ReasonParticipantDeclined => "Participant declined", "La personne a refusé";
    ReasonUnableToContact => "Unable to contact", "Impossible de joindre";
    ReasonOther => "Other (say what in the note)", "Autre (précisez dans la note)";
    ReferralStatusDraft => "Draft", "Brouillon";
    ReferralStatusSent => "Sent", "Envoyée";
    ReferralStatusReceived => "Opened", "Ouverte";
    ReferralStatusAccepted => "Accepted", "Acceptée";
    ReferralStatusDeclined => "Declined", "Refusée";
    ReferralStatusInProgress => "In progress", "En cours";
    ReferralStatusCompleted => "Closed", "Close";
    ReferralStatusWithdrawn => "Withdrawn", "Retirée";
    ReferralStatusExpired => "Expired", "Expirée";
    Monday => "Monday", "lundi";
    Tuesday => "Tuesday", "mardi";
    Wednesday => "Wednesday", "mercredi";
    Thursday => "Thursday", "jeudi";
    Friday => "Friday", "vendredi";
    Saturday => "Saturday", "samedi";
    Sunday => "Sunday", "dimanche";
    Dashboard => "Dashboard", "Tableau de bord";
    ReferralFlow => "Where referrals stand", "Où en sont les orientations";
    ReferralFlowHint => "Referrals sent in the period, by where they stood when their month was released.", "Orientations envoyées pendant la période, selon leur état à la publication de leur mois.";
    MonthByMonth => "Month by month", "Mois par mois";
    ResponseTimes => "Response times", "Délais de réponse";
    ResponseTimesHint => "Hours from sending: median and 90th percentile (9 in 10 were faster).", "Heures depuis l'envoi : médiane et 90e centile (9 sur 10 plus rapides).";
    Declines => "Declines by reason", "Refus par motif";
    Outcomes => "Outcomes of closed referrals", "Résultats des orientations closes";
    OverdueNow => "Overdue now, by receiving organization", "En retard maintenant, par organisme destinataire";
    ConsentsExpiring => "Consents ending in the next 30 days", "Consentements qui prennent fin d'ici 30 jours";
    Coverage => "Services by need and region", "Services par besoin et région";
    CoverageHint => "Active services in each region; “0” is a gap. Choose a cell to see its listings.", "Services actifs dans chaque région; « 0 » est une lacune. Choisissez une case pour voir les fiches.";
    StaleListings => "Listings not verified lately", "Fiches non vérifiées récemment";
    ErrorPopulationTooSmall => "Fewer than 5 referrals match: widen the period or the region.", "Moins de 5 orientations correspondent : élargissez la période ou la région.";
    CategorySaved => "Category saved.", "Catégorie enregistrée.";
    RegionSaved => "Region saved.", "Région enregistrée.";
    ErrorAlreadyExists => "Another record already uses this code or short name. Choose another.", "Une autre fiche utilise déjà ce code ou ce nom court. Choisissez-en un autre.";
}}

/// The message for a problem's `code` from the API.
pub fn problem_message(code: ErrorCode) -> Msg {
    match code {
        ErrorCode::InvalidCredentials => Msg::ErrorInvalidCredentials,
        ErrorCode::TooManyRequests => Msg::ErrorTooManyAttempts,
        ErrorCode::Offline | ErrorCode::Unavailable => Msg::ErrorOffline,
        ErrorCode::Validation => Msg::ErrorValidation,
        ErrorCode::AlreadyExists => Msg::ErrorAlreadyExists,
        ErrorCode::PopulationTooSmall => Msg::ErrorPopulationTooSmall,
        ErrorCode::WrongCurrentPassword => Msg::ErrorWrongCurrentPassword,
        _ => Msg::ErrorGeneric,
    }
}

/// A colon as each language sets it (French puts a space before it).
pub fn colon(lang: Lang) -> &'static str {
    if lang == Lang::Fr {
        " : "
    } else {
        ": "
    }
}

/// The current language, provided at the root.
#[derive(Debug, Clone, Copy)]
pub struct I18n(pub RwSignal<Lang>);

/// A message of one of the tables `messages!` makes.
pub trait Message: Copy + Send + Sync + 'static {
    /// The message in a language.
    fn text(self, lang: Lang) -> &'static str;
}

impl I18n {
    /// A reactive translation of a message.
    pub fn t<M: Message>(self, msg: M) -> impl Fn() -> &'static str + Copy + Send + Sync + 'static {
        move || msg.text(self.0.get())
    }
}

/// The language context.
pub fn use_i18n() -> I18n {
    expect_context::<I18n>()
}
