//! The tables, as diesel sees them. Kept by hand in step with `migrations/`; the
//! migration tests on both backends fail when the two disagree.

diesel::table! {
    organizations (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        description -> Text,
        sector -> Text,
        website -> Nullable<Text>,
        email -> Nullable<Text>,
        phone -> Nullable<Text>,
        active -> Bool,
        verified_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    regions (id) {
        id -> Text,
        slug -> Text,
        name -> Text,
        name_fr -> Text,
    }
}

diesel::table! {
    organization_regions (organization_id, region_id) {
        organization_id -> Text,
        region_id -> Text,
    }
}

diesel::table! {
    taxonomy_terms (id) {
        id -> Text,
        code -> Text,
        parent_id -> Nullable<Text>,
        name -> Text,
        name_fr -> Text,
        description -> Text,
    }
}

diesel::table! {
    services (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        description -> Text,
        status -> Text,
        accepts_referrals -> Bool,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    service_taxonomy_terms (service_id, taxonomy_term_id) {
        service_id -> Text,
        taxonomy_term_id -> Text,
    }
}

diesel::table! {
    service_regions (service_id, region_id) {
        service_id -> Text,
        region_id -> Text,
    }
}

diesel::table! {
    users (id) {
        id -> Text,
        organization_id -> Text,
        email -> Text,
        display_name -> Text,
        password_hash -> Text,
        locale -> Text,
        active -> Bool,
        must_change_password -> Bool,
        last_sign_in_at -> Nullable<Timestamp>,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    user_roles (user_id, role) {
        user_id -> Text,
        role -> Text,
    }
}

diesel::table! {
    refresh_tokens (id) {
        id -> Text,
        user_id -> Text,
        family_id -> Text,
        token_hash -> Text,
        issued_at -> Timestamp,
        expires_at -> Timestamp,
        used_at -> Nullable<Timestamp>,
        revoked_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    api_clients (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        client_id -> Text,
        secret_hash -> Text,
        scopes -> Text,
        active -> Bool,
        created_at -> Timestamp,
        last_used_at -> Nullable<Timestamp>,
    }
}

diesel::joinable!(organization_regions -> organizations (organization_id));
diesel::joinable!(organization_regions -> regions (region_id));
diesel::joinable!(services -> organizations (organization_id));
diesel::joinable!(service_taxonomy_terms -> services (service_id));
diesel::joinable!(service_taxonomy_terms -> taxonomy_terms (taxonomy_term_id));
diesel::joinable!(service_regions -> services (service_id));
diesel::joinable!(service_regions -> regions (region_id));
diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_clients -> organizations (organization_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    regions,
    organization_regions,
    taxonomy_terms,
    services,
    service_taxonomy_terms,
    service_regions,
    users,
    user_roles,
    refresh_tokens,
    api_clients,
);
