//! The demo partnership: fictional organizations modelled on the kinds of partners a
//! provincial anti-exploitation partnership has (none is a real agency), Nova Scotia's
//! seven regional groups, and a category tree. Used by `harbour seed --demo` only.

/// (slug, English name, French name)
pub const REGIONS: &[(&str, &str, &str)] = &[
    ("halifax", "Halifax Regional Group", "Groupe régional d'Halifax"),
    ("cape-breton", "Cape Breton Regional Group", "Groupe régional du Cap-Breton"),
    ("annapolis-valley", "Annapolis Valley Regional Group", "Groupe régional de la vallée d'Annapolis"),
    ("south-shore", "South Shore Regional Group", "Groupe régional de la Rive-Sud"),
    ("northern", "Northern Regional Group", "Groupe régional du Nord"),
    ("eastern", "Eastern Regional Group", "Groupe régional de l'Est"),
    ("southwest", "Southwest Regional Group", "Groupe régional du Sud-Ouest"),
];

/// The main town of each region, with a postal code there and its coordinates: demo
/// locations stand there.
pub const TOWNS: &[(&str, &str, &str, f64, f64)] = &[
    ("halifax", "Halifax", "B3J 1A1", 44.6488, -63.5752),
    ("cape-breton", "Sydney", "B1P 1A1", 46.1368, -60.1942),
    ("annapolis-valley", "Kentville", "B4N 1A1", 45.0770, -64.4960),
    ("south-shore", "Bridgewater", "B4V 1A1", 44.3780, -64.5190),
    ("northern", "Truro", "B2N 1A1", 45.3650, -63.2800),
    ("eastern", "Antigonish", "B2G 1A1", 45.6169, -61.9986),
    ("southwest", "Yarmouth", "B5A 1A1", 43.8375, -66.1174),
];

/// Organizations whose place is a safe house: its address is confidential.
pub const CONFIDENTIAL: &[&str] = &["safe-harbour-house", "south-shore-transition"];

/// (code, parent code, English name, French name)
pub const CATEGORIES: &[(&str, Option<&str>, &str, &str)] = &[
    ("housing", None, "Housing & shelter", "Logement et hébergement"),
    ("housing.emergency", Some("housing"), "Emergency shelter", "Hébergement d'urgence"),
    ("housing.transitional", Some("housing"), "Transitional housing", "Logement de transition"),
    ("mental-health", None, "Mental health", "Santé mentale"),
    ("mental-health.counselling", Some("mental-health"), "Counselling", "Counseling"),
    ("addictions", None, "Addictions", "Dépendances"),
    ("health", None, "Health", "Santé"),
    ("health.sexual", Some("health"), "Sexual health", "Santé sexuelle"),
    ("health.forensic-nursing", Some("health"), "Forensic nursing", "Soins infirmiers médico-légaux"),
    ("legal", None, "Legal & victim services", "Services juridiques et aux victimes"),
    ("basic-needs", None, "Basic needs", "Besoins essentiels"),
    ("education", None, "Education", "Éducation"),
    ("employment", None, "Employment", "Emploi"),
    ("childcare", None, "Childcare", "Garde d'enfants"),
    ("transportation", None, "Transportation", "Transport"),
    ("cultural", None, "Cultural supports", "Soutiens culturels"),
    ("peer-support", None, "Peer support", "Soutien par les pairs"),
    ("crisis", None, "Crisis lines", "Lignes de crise"),
    ("safety-planning", None, "Safety planning", "Planification de la sécurité"),
    ("family", None, "Family support", "Soutien aux familles"),
    ("income", None, "Income support", "Soutien du revenu"),
    ("id-replacement", None, "ID replacement", "Remplacement de pièces d'identité"),
    ("immigration", None, "Immigration", "Immigration"),
];

/// A demo organization and its services.
pub struct DemoOrganization {
    pub slug: &'static str,
    pub name: &'static str,
    pub sector: &'static str,
    pub regions: &'static [&'static str],
    pub description: &'static str,
    /// (service name, category code)
    pub services: &'static [(&'static str, &'static str)],
}

macro_rules! org {
    ($slug:literal, $name:literal, $sector:literal, [$($region:literal),*], $description:literal, [$(($service:literal, $category:literal)),* $(,)?]) => {
        DemoOrganization { slug: $slug, name: $name, sector: $sector, regions: &[$($region),*], description: $description, services: &[$(($service, $category)),*] }
    };
}

/// The slug of the organization that hosts the partnership's coordinators and system admins.
pub const PARTNERSHIP_OFFICE: &str = "partnership-office";

pub const ORGANIZATIONS: &[DemoOrganization] = &[
    org!("partnership-office", "Partnership Coordination Office", "community", ["halifax"], "Coordinates the partnership, its working groups and training.", [("Service provider training", "education"), ("Partner navigation line", "crisis")]),
    org!("youth-outreach-halifax", "Youth Outreach Halifax", "community", ["halifax"], "Street and mobile outreach for youth 12 to 24, day and night.", [("Night outreach van", "basic-needs"), ("Drop-in centre", "basic-needs"), ("Accompaniment to appointments", "transportation"), ("Youth safety planning", "safety-planning")]),
    org!("safe-harbour-house", "Safe Harbour House", "community", ["halifax"], "Confidential emergency shelter for young women and gender-diverse youth.", [("Emergency youth shelter", "housing.emergency"), ("Transitional apartments", "housing.transitional"), ("Shelter outreach counselling", "mental-health.counselling")]),
    org!("northern-lights-youth", "Northern Lights Youth Society", "community", ["northern"], "Housing and life skills for youth leaving care or the street.", [("Supportive youth housing", "housing.transitional"), ("Life skills program", "education"), ("Rent bank", "income")]),
    org!("cape-breton-youth-shelter", "Cape Breton Youth Shelter", "community", ["cape-breton"], "Overnight shelter and day supports for youth in Cape Breton.", [("Overnight youth beds", "housing.emergency"), ("Day program", "basic-needs"), ("Family mediation", "family")]),
    org!("valley-womens-centre", "Valley Women's Centre", "community", ["annapolis-valley"], "Women's centre offering advocacy, counselling and court support.", [("Women's counselling", "mental-health.counselling"), ("Court accompaniment", "legal"), ("Emergency food and clothing", "basic-needs")]),
    org!("south-shore-transition", "South Shore Transition House", "community", ["south-shore"], "Transition house for women and children leaving violence.", [("Transition house beds", "housing.emergency"), ("Children's program", "childcare"), ("24-hour support line", "crisis")]),
    org!("southwest-family-resource", "Southwest Family Resource Centre", "community", ["southwest"], "Family resource centre with parenting and childcare supports.", [("Parenting support", "family"), ("Drop-in childcare", "childcare"), ("Transportation help", "transportation")]),
    org!("eastern-womens-resource", "Eastern Women's Resource Centre", "community", ["eastern"], "Rural women's resource centre serving Antigonish and Guysborough.", [("Rural outreach", "basic-needs"), ("Sexual violence support", "mental-health.counselling"), ("Income assistance navigation", "income")]),
    org!("peer-voices-collective", "Peer Voices Collective", "peer_survivor_led", ["halifax", "northern"], "Survivor-led peer mentorship; no need to self-identify.", [("Peer mentorship", "peer-support"), ("Peer support group", "peer-support"), ("Arts and expression nights", "peer-support")]),
    org!("thriving-together", "Thriving Together Peer Network", "peer_survivor_led", ["cape-breton", "eastern"], "Peer support by and for people with lived experience of the sex trade.", [("Peer navigation", "peer-support"), ("Harm reduction supplies", "addictions"), ("Exit planning circle", "safety-planning")]),
    org!("mikmaw-friendship-centre-demo", "Wije'winen Friendship Centre", "cultural", ["halifax", "cape-breton"], "Indigenous friendship centre: culture, ceremony and practical help.", [("Indigenous youth program", "cultural"), ("Elder and knowledge keeper support", "cultural"), ("Indigenous housing navigation", "housing"), ("Cultural court support", "legal")]),
    org!("indigenous-legal-network", "Indigenous Legal Support Network", "cultural", ["cape-breton", "northern", "eastern"], "Legal support rooted in Mi'kmaw justice practice.", [("Court worker program", "legal"), ("Restorative circles", "legal"), ("ID replacement help", "id-replacement")]),
    org!("african-ns-youth-collective", "African Nova Scotian Youth Collective", "cultural", ["halifax", "annapolis-valley"], "Culturally grounded supports for African Nova Scotian youth and families.", [("Youth mentorship", "cultural"), ("Family navigation", "family"), ("Education support", "education")]),
    org!("rainbow-youth-alliance", "Rainbow Youth Alliance", "cultural", ["halifax", "south-shore", "southwest"], "2SLGBTQ+ affirming youth drop-in and counselling.", [("2SLGBTQ+ youth drop-in", "cultural"), ("Affirming counselling", "mental-health.counselling"), ("Gender-affirming clothing bank", "basic-needs")]),
    org!("newcomer-youth-services", "Newcomer Youth Services", "cultural", ["halifax"], "Settlement, language and immigration help for newcomer youth.", [("Settlement support", "immigration"), ("Interpretation", "cultural"), ("Immigration legal clinic", "immigration")]),
    org!("provincial-health-authority-demo", "Provincial Health Authority (demo)", "health", ["halifax", "cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "Mental health, addictions and sexual assault nursing across the province.", [("Mental health crisis team", "crisis"), ("Sexual assault nurse examiners", "health.forensic-nursing"), ("Opioid treatment program", "addictions"), ("Youth addictions counselling", "addictions")]),
    org!("childrens-hospital-youth-mh", "Children's Hospital Youth Mental Health", "health", ["halifax"], "Specialised mental health care for children and youth.", [("Youth mental health intake", "mental-health"), ("Trauma therapy", "mental-health.counselling"), ("Child and youth advocacy centre", "legal")]),
    org!("street-health-clinic", "Mobile Street Health Clinic", "health", ["halifax"], "Nurses and a physician on the street and in shelters.", [("Mobile primary care", "health"), ("Sexual health testing", "health.sexual"), ("Wound care and harm reduction", "addictions")]),
    org!("sexual-health-network", "Sexual Health Network", "health", ["northern", "south-shore", "southwest"], "Sexual health clinics and education in rural communities.", [("Sexual health clinic", "health.sexual"), ("Pregnancy options counselling", "health.sexual"), ("Healthy relationships workshops", "education")]),
    org!("regional-police-vice", "Regional Police Exploitation Unit (demo)", "police", ["halifax"], "Investigations of sexual exploitation and trafficking; victim-centred.", [("Exploitation investigations", "legal"), ("Police victim services", "legal")]),
    org!("rcmp-trafficking-demo", "Federal Police Human Trafficking Unit (demo)", "police", ["cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "Province-wide human trafficking investigations outside the city.", [("Human trafficking investigations", "legal"), ("Rural safety response", "safety-planning")]),
    org!("child-welfare-services", "Child and Family Welfare Services (demo)", "child_welfare", ["halifax", "cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "Child protection and youth services agreements for youth 16 to 18.", [("Youth services agreements", "family"), ("After-hours child protection", "crisis"), ("Kinship care support", "family")]),
    org!("schools-plus-demo", "School-Based Wraparound (demo)", "education", ["halifax", "annapolis-valley", "south-shore", "northern"], "School-based hubs connecting students and families to supports.", [("Student wraparound facilitation", "education"), ("Alternative education program", "education"), ("School mental health clinician", "mental-health")]),
    org!("adult-learning-centre", "Community Adult Learning Centre", "education", ["cape-breton", "eastern"], "High school completion and literacy for youth and adults.", [("High school completion", "education"), ("Job readiness", "employment")]),
    org!("youth-employment-works", "Youth Employment Works", "community", ["halifax", "northern"], "Paid pre-employment training and job coaching for youth.", [("Paid job training", "employment"), ("Job coaching", "employment"), ("Bus pass program", "transportation")]),
    org!("legal-aid-demo", "Provincial Legal Aid (demo)", "legal", ["halifax", "cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "Free legal representation for youth and eligible adults.", [("Youth criminal defence", "legal"), ("Family law", "legal"), ("Independent legal advice for survivors", "legal")]),
    org!("victim-services-demo", "Provincial Victim Services (demo)", "justice", ["halifax", "cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "Court preparation and financial help for victims of crime.", [("Court preparation", "legal"), ("Criminal injuries counselling program", "mental-health.counselling"), ("Victim impact statements help", "legal")]),
    org!("restorative-justice-valley", "Valley Restorative Justice (demo)", "justice", ["annapolis-valley"], "Restorative justice for youth and communities.", [("Youth restorative justice", "legal"), ("Community conferencing", "family")]),
    org!("community-services-dept", "Department of Community Services (demo)", "government", ["halifax", "cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "Income assistance, housing support and program funding.", [("Income assistance", "income"), ("Emergency housing support", "housing"), ("ID and documents fund", "id-replacement")]),
    org!("crisis-line-demo", "Provincial Crisis Line (demo)", "health", ["halifax", "cape-breton", "annapolis-valley", "south-shore", "northern", "eastern", "southwest"], "24/7 phone and text crisis support for anyone in the province.", [("24/7 crisis line", "crisis"), ("Crisis text line", "crisis"), ("Mobile crisis follow-up", "mental-health")]),
];

/// The roles of the demo users each organization gets, one user per role.
pub fn roles_for(slug: &str) -> &'static [&'static str] {
    if slug == PARTNERSHIP_OFFICE {
        &["agency_admin", "coordinator", "system_admin"]
    } else {
        &["agency_admin", "outreach_worker", "intake_worker"]
    }
}

/// A demo group: (kind, English name, French name, what it does in English and in
/// French, its members' slugs, a `*` before a co-chair's). Regional groups are made from [`REGIONS`], one a region,
/// every organization there a member and the first its co-chair.
pub type DemoGroup = (&'static str, &'static str, &'static str, &'static str, &'static str, &'static [&'static str]);

/// The partnership's groups besides the regional ones, as TESS describes its own.
pub const GROUPS: &[DemoGroup] = &[
    ("core", "Core Group", "Groupe central", "Sets the partnership's direction and its provincial strategy.", "Fixe l'orientation du partenariat et sa stratégie provinciale.", &["*partnership-office", "*youth-outreach-halifax", "child-welfare-services", "regional-police-vice", "peer-voices-collective", "mikmaw-friendship-centre-demo", "provincial-health-authority-demo"]),
    ("working", "Training Working Group", "Groupe de travail sur la formation", "The two-hour and two-day courses, and sessions with outside experts.", "Les cours de deux heures et de deux jours, et les séances avec des experts de l'extérieur.", &["*partnership-office", "victim-services-demo", "schools-plus-demo"]),
    ("working", "Research and Evaluation Working Group", "Groupe de travail sur la recherche et l'évaluation", "System mapping, needs assessments and what the partnership learns from them.", "La cartographie des systèmes, l'évaluation des besoins et ce que le partenariat en apprend.", &["partnership-office", "*provincial-health-authority-demo"]),
    ("cultural_advisory", "Indigenous Advisory", "Comité consultatif autochtone", "Culturally grounded practice with Indigenous youth and communities.", "Une pratique ancrée dans la culture avec les jeunes et les communautés autochtones.", &["*mikmaw-friendship-centre-demo", "indigenous-legal-network"]),
    ("cultural_advisory", "African Nova Scotian Advisory", "Comité consultatif afro-néo-écossais", "Practice with and for African Nova Scotian youth and families.", "Une pratique avec et pour les jeunes et les familles afro-néo-écossais.", &["*african-ns-youth-collective"]),
    ("cultural_advisory", "2SLGBTQ+ Advisory", "Comité consultatif 2ELGBTQ+", "Inclusion of Two-Spirit, lesbian, gay, bisexual, trans and queer youth.", "L'inclusion des jeunes bispirituels, lesbiennes, gais, bisexuels, trans et queers.", &["*rainbow-youth-alliance"]),
    ("survivor_advisory", "Survivor Advisory", "Comité consultatif des survivantes et survivants", "People with lived experience who inform the partnership's values and practice.", "Des personnes ayant un vécu qui éclairent les valeurs et la pratique du partenariat.", &["*peer-voices-collective", "thriving-together"]),
];
