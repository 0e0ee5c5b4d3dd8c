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
        version -> Integer,
        updated_at -> Nullable<Timestamp>,
        updated_by -> Nullable<Text>,
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
        version -> Integer,
        updated_at -> Nullable<Timestamp>,
        updated_by -> Nullable<Text>,
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
        alternate_name -> Nullable<Text>,
        url -> Nullable<Text>,
        email -> Nullable<Text>,
        interpretation_services -> Nullable<Text>,
        application_process -> Text,
        fees_description -> Nullable<Text>,
        free -> Bool,
        eligibility_description -> Nullable<Text>,
        minimum_age -> Nullable<Integer>,
        maximum_age -> Nullable<Integer>,
        required_documents -> Nullable<Text>,
        open_24_7 -> Bool,
        capacity_status -> Text,
        capacity_available -> Nullable<Integer>,
        capacity_maximum -> Nullable<Integer>,
        capacity_unit -> Nullable<Text>,
        capacity_updated_at -> Nullable<Timestamp>,
        verified_at -> Nullable<Timestamp>,
        version -> Integer,
        updated_by -> Nullable<Text>,
    }
}

diesel::table! {
    service_attributes (service_id, code) {
        service_id -> Text,
        code -> Text,
    }
}

diesel::table! {
    service_languages (service_id, code) {
        service_id -> Text,
        code -> Text,
    }
}

diesel::table! {
    locations (id) {
        id -> Text,
        organization_id -> Text,
        name -> Text,
        description -> Text,
        visibility -> Text,
        address_1 -> Nullable<Text>,
        city -> Nullable<Text>,
        state_province -> Nullable<Text>,
        postal_code -> Nullable<Text>,
        country -> Text,
        latitude -> Nullable<Double>,
        longitude -> Nullable<Double>,
        accessibility -> Nullable<Text>,
        intake_instructions -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
        updated_by -> Nullable<Text>,
        coarse_latitude -> Nullable<Double>,
        coarse_longitude -> Nullable<Double>,
    }
}

diesel::table! {
    service_at_locations (id) {
        id -> Text,
        service_id -> Text,
        location_id -> Text,
    }
}

diesel::table! {
    phones (id) {
        id -> Text,
        service_id -> Text,
        number -> Text,
        kind -> Text,
        after_hours -> Bool,
        description -> Nullable<Text>,
        position -> Integer,
    }
}

diesel::table! {
    schedules (id) {
        id -> Text,
        service_id -> Text,
        weekday -> Text,
        opens_at -> Text,
        closes_at -> Text,
        description -> Nullable<Text>,
    }
}

diesel::table! {
    schedule_exceptions (id) {
        id -> Text,
        service_id -> Text,
        date -> Text,
        opens_at -> Nullable<Text>,
        closes_at -> Nullable<Text>,
        description -> Nullable<Text>,
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

diesel::table! {
    directory_changes (revision) {
        revision -> BigInt,
        services -> Nullable<Text>,
    }
}

diesel::table! {
    directory_revision (id) {
        id -> Integer,
        revision -> BigInt,
    }
}

diesel::table! {
    participants (id) {
        id -> Text,
        organization_id -> Text,
        alias -> Text,
        alias_folded -> Text,
        age_band -> Nullable<Text>,
        birth_year -> Nullable<Integer>,
        pronouns -> Nullable<Text>,
        languages -> Text,
        self_description_sealed -> Nullable<Text>,
        legal_name_sealed -> Nullable<Text>,
        date_of_birth_sealed -> Nullable<Text>,
        phone_sealed -> Nullable<Text>,
        safety_notes_sealed -> Nullable<Text>,
        contact_method -> Nullable<Text>,
        contact_times -> Nullable<Text>,
        contact_instructions -> Nullable<Text>,
        no_voicemail -> Bool,
        primary_contact_id -> Nullable<Text>,
        need_category_ids -> Text,
        needs_note -> Nullable<Text>,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
        erased_at -> Nullable<Timestamp>,
        retention_notice_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    audit_anchors (chain) {
        chain -> SmallInt,
        pruned_events -> BigInt,
        last_seq -> BigInt,
        last_hash -> Text,
        pruned_at -> Timestamp,
        key_id -> Text,
        signature -> Text,
    }
}

diesel::table! {
    participant_keys (participant_id) {
        participant_id -> Text,
        key_sealed -> Text,
        created_at -> Timestamp,
    }
}

diesel::table! {
    erasures (participant_id) {
        participant_id -> Text,
        organization_id -> Text,
        erased_at -> Timestamp,
        method -> Text,
        reason -> Text,
        erased_by -> Nullable<Text>,
        reapplied_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    consents (id) {
        id -> Text,
        participant_id -> Text,
        organization_id -> Text,
        recorded_by -> Text,
        method -> Text,
        witness_name -> Nullable<Text>,
        given_at -> Timestamp,
        expires_at -> Timestamp,
        purposes -> Text,
        data_categories -> Text,
        statement_language -> Text,
        statement_text -> Text,
        evidence_media_type -> Nullable<Text>,
        evidence_sha256 -> Nullable<Text>,
        evidence_size -> Nullable<BigInt>,
        supersedes_id -> Nullable<Text>,
        superseded_by_id -> Nullable<Text>,
        revoked_at -> Nullable<Timestamp>,
        revoked_by -> Nullable<Text>,
        revocation_method -> Nullable<Text>,
        revocation_note -> Nullable<Text>,
        created_at -> Timestamp,
    }
}

diesel::table! {
    consent_recipients (consent_id, organization_id) {
        consent_id -> Text,
        organization_id -> Text,
    }
}

diesel::table! {
    consent_evidence (consent_id) {
        consent_id -> Text,
        sealed -> Text,
    }
}

diesel::table! {
    audit_events (seq) {
        seq -> BigInt,
        id -> Text,
        occurred_at -> Timestamp,
        actor_kind -> Text,
        actor_id -> Text,
        organization_id -> Text,
        action -> Text,
        entity_type -> Text,
        entity_id -> Text,
        participant_id -> Nullable<Text>,
        consent_id -> Nullable<Text>,
        purpose -> Text,
        data_categories -> Text,
        request_id -> Nullable<Text>,
        prev_hash -> Text,
        hash -> Text,
        chain -> SmallInt,
    }
}

diesel::table! {
    referrals (id) {
        id -> Text,
        from_organization_id -> Text,
        from_user_id -> Nullable<Text>,
        from_client_id -> Nullable<Text>,
        to_organization_id -> Text,
        service_id -> Text,
        participant_id -> Text,
        consent_id -> Nullable<Text>,
        need_category_ids -> Text,
        needs_note -> Nullable<Text>,
        urgency -> Text,
        safe_contact_instructions -> Nullable<Text>,
        participant_confirmed -> Bool,
        snapshot_sealed -> Nullable<Text>,
        redacted_at -> Nullable<Timestamp>,
        status -> Text,
        reason -> Nullable<Text>,
        outcome -> Nullable<Text>,
        due_at -> Nullable<Timestamp>,
        reminded_at -> Nullable<Timestamp>,
        assignee_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        sent_at -> Nullable<Timestamp>,
        updated_at -> Timestamp,
        region_id -> Nullable<Text>,
        category_id -> Nullable<Text>,
        received_at -> Nullable<Timestamp>,
        accepted_at -> Nullable<Timestamp>,
        closed_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    referral_tallies (organization_id, box_, status, stripe) {
        organization_id -> Text,
        #[sql_name = "box"]
        box_ -> Text,
        status -> Text,
        stripe -> Text,
        referrals -> BigInt,
    }
}

diesel::table! {
    referral_events (id) {
        id -> Text,
        referral_id -> Text,
        ordinal -> Integer,
        at -> Timestamp,
        kind -> Text,
        actor_user_id -> Nullable<Text>,
        actor_client_id -> Nullable<Text>,
        organization_id -> Text,
        status -> Text,
        note -> Nullable<Text>,
    }
}

diesel::table! {
    referral_messages (id) {
        id -> Text,
        referral_id -> Text,
        at -> Timestamp,
        author_id -> Text,
        organization_id -> Text,
        body -> Text,
    }
}

diesel::table! {
    primary_contact_changes (id) {
        id -> Text,
        participant_id -> Text,
        from_user_id -> Nullable<Text>,
        to_user_id -> Nullable<Text>,
        changed_by -> Text,
        changed_at -> Timestamp,
    }
}

diesel::table! {
    idempotency_records (scope, key) {
        scope -> Text,
        key -> Text,
        request_hash -> Text,
        status -> Integer,
        content_type -> Nullable<Text>,
        etag -> Nullable<Text>,
        body_sealed -> Nullable<Text>,
        created_at -> Timestamp,
        request_id -> Nullable<Text>,
    }
}

diesel::table! {
    webhook_subscriptions (id) {
        id -> Text,
        organization_id -> Text,
        url -> Text,
        event_types -> Text,
        secret_sealed -> Text,
        active -> Bool,
        created_at -> Timestamp,
    }
}

diesel::table! {
    webhook_deliveries (id) {
        id -> Text,
        subscription_id -> Text,
        event_type -> Text,
        subject_id -> Text,
        payload -> Text,
        status -> Text,
        attempts -> Integer,
        next_attempt_at -> Timestamp,
        locked_by -> Nullable<Text>,
        locked_until -> Nullable<Timestamp>,
        last_status_code -> Nullable<Integer>,
        last_error -> Nullable<Text>,
        created_at -> Timestamp,
        delivered_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    safety_plan_revisions (id) {
        id -> Text,
        participant_id -> Text,
        revision -> Integer,
        content_sealed -> Text,
        review_on -> Nullable<Text>,
        written_by -> Text,
        written_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    individual_plans (participant_id) {
        participant_id -> Text,
        review_on -> Nullable<Text>,
        version -> Integer,
        updated_by -> Text,
        updated_at -> Timestamp,
        reminded_at -> Nullable<Timestamp>,
    }
}

diesel::table! {
    plan_goals (id) {
        id -> Text,
        participant_id -> Text,
        domain -> Text,
        title_sealed -> Text,
        status -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_steps (id) {
        id -> Text,
        goal_id -> Text,
        participant_id -> Text,
        description_sealed -> Text,
        owner_kind -> Text,
        owner_user_id -> Nullable<Text>,
        owner_organization_id -> Nullable<Text>,
        due_on -> Nullable<Text>,
        status -> Text,
        referral_id -> Nullable<Text>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    plan_stages (id) {
        id -> Text,
        participant_id -> Text,
        stage -> Text,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    plan_events (id) {
        id -> Text,
        participant_id -> Text,
        kind -> Text,
        goal_id -> Nullable<Text>,
        step_id -> Nullable<Text>,
        status -> Nullable<Text>,
        recorded_by -> Text,
        recorded_at -> Timestamp,
    }
}

diesel::table! {
    audit_checkpoints (slot) {
        slot -> BigInt,
        taken_at -> Timestamp,
    }
}

diesel::table! {
    dashboard_releases (period) {
        period -> Text,
        released_at -> Timestamp,
    }
}

diesel::table! {
    dashboard_cells (period, scope, measure, row_key, column_key) {
        period -> Text,
        scope -> Text,
        measure -> Text,
        row_key -> Text,
        column_key -> Text,
        value -> BigInt,
    }
}

diesel::joinable!(organization_regions -> organizations (organization_id));
diesel::joinable!(organization_regions -> regions (region_id));
diesel::joinable!(services -> organizations (organization_id));
diesel::joinable!(service_attributes -> services (service_id));
diesel::joinable!(service_languages -> services (service_id));
diesel::joinable!(locations -> organizations (organization_id));
diesel::joinable!(service_at_locations -> services (service_id));
diesel::joinable!(service_at_locations -> locations (location_id));
diesel::joinable!(phones -> services (service_id));
diesel::joinable!(schedules -> services (service_id));
diesel::joinable!(schedule_exceptions -> services (service_id));
diesel::joinable!(service_taxonomy_terms -> services (service_id));
diesel::joinable!(service_taxonomy_terms -> taxonomy_terms (taxonomy_term_id));
diesel::joinable!(service_regions -> services (service_id));
diesel::joinable!(service_regions -> regions (region_id));
diesel::table! {
    case_conferences (id) {
        id -> Text,
        participant_id -> Text,
        organization_id -> Text,
        starts_at -> Timestamp,
        minutes -> Integer,
        place -> Nullable<Text>,
        link -> Nullable<Text>,
        status -> Text,
        agenda_sealed -> Text,
        voice_sealed -> Text,
        presence -> Text,
        version -> Integer,
        created_by -> Text,
        created_at -> Timestamp,
        updated_by -> Text,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    conference_invitations (conference_id, organization_id) {
        conference_id -> Text,
        organization_id -> Text,
        attendance -> Text,
    }
}

diesel::table! {
    conference_actions (id) {
        id -> Text,
        conference_id -> Text,
        participant_id -> Text,
        description_sealed -> Text,
        organization_id -> Text,
        user_id -> Nullable<Text>,
        due_on -> Text,
        status -> Text,
        done_on -> Nullable<Text>,
        reminded_at -> Nullable<Timestamp>,
        version -> Integer,
        created_at -> Timestamp,
        updated_at -> Timestamp,
    }
}

diesel::joinable!(users -> organizations (organization_id));
diesel::joinable!(user_roles -> users (user_id));
diesel::joinable!(refresh_tokens -> users (user_id));
diesel::joinable!(api_clients -> organizations (organization_id));
diesel::joinable!(participants -> organizations (organization_id));
diesel::joinable!(participant_keys -> participants (participant_id));
diesel::joinable!(consents -> participants (participant_id));
diesel::joinable!(safety_plan_revisions -> participants (participant_id));
diesel::joinable!(safety_plan_revisions -> users (written_by));
diesel::joinable!(plan_goals -> participants (participant_id));
diesel::joinable!(plan_steps -> plan_goals (goal_id));
diesel::joinable!(plan_stages -> users (recorded_by));
diesel::joinable!(plan_events -> users (recorded_by));
diesel::joinable!(consent_recipients -> consents (consent_id));
diesel::joinable!(consent_recipients -> organizations (organization_id));
diesel::joinable!(consent_evidence -> consents (consent_id));
diesel::joinable!(referral_events -> referrals (referral_id));
diesel::joinable!(referral_events -> users (actor_user_id));
diesel::joinable!(referral_events -> api_clients (actor_client_id));
diesel::joinable!(referral_events -> organizations (organization_id));
diesel::joinable!(referral_messages -> referrals (referral_id));
diesel::joinable!(webhook_deliveries -> webhook_subscriptions (subscription_id));
diesel::joinable!(referral_messages -> users (author_id));
diesel::joinable!(referral_messages -> organizations (organization_id));
diesel::joinable!(dashboard_cells -> dashboard_releases (period));
diesel::table! {
    partner_groups (id) {
        id -> Text,
        kind -> Text,
        name -> Text,
        name_fr -> Text,
        description -> Text,
        description_fr -> Text,
        region_id -> Nullable<Text>,
        private_membership -> Bool,
        version -> Integer,
        created_at -> Timestamp,
        updated_by -> Nullable<Text>,
        updated_at -> Timestamp,
    }
}

diesel::table! {
    group_members (id) {
        id -> Text,
        group_id -> Text,
        organization_id -> Nullable<Text>,
        user_id -> Nullable<Text>,
        co_chair -> Bool,
        added_by -> Nullable<Text>,
        added_at -> Timestamp,
    }
}

diesel::joinable!(case_conferences -> participants (participant_id));
diesel::joinable!(group_members -> partner_groups (group_id));
diesel::joinable!(conference_invitations -> case_conferences (conference_id));
diesel::joinable!(conference_invitations -> organizations (organization_id));
diesel::joinable!(conference_actions -> case_conferences (conference_id));

diesel::allow_tables_to_appear_in_same_query!(
    organizations,
    regions,
    organization_regions,
    taxonomy_terms,
    services,
    service_attributes,
    service_languages,
    locations,
    service_at_locations,
    phones,
    schedules,
    schedule_exceptions,
    service_taxonomy_terms,
    service_regions,
    users,
    user_roles,
    refresh_tokens,
    api_clients,
    directory_changes,
    directory_revision,
    participants,
    consents,
    consent_recipients,
    consent_evidence,
    audit_events,
    referrals,
    referral_tallies,
    referral_events,
    referral_messages,
    idempotency_records,
    primary_contact_changes,
    webhook_subscriptions,
    webhook_deliveries,
    safety_plan_revisions,
    individual_plans,
    plan_goals,
    plan_steps,
    plan_stages,
    plan_events,
    dashboard_releases,
    dashboard_cells,
    audit_checkpoints,
    participant_keys,
    erasures,
    audit_anchors,
    case_conferences,
    conference_invitations,
    conference_actions,
    partner_groups,
    group_members,
);
