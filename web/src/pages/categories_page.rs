//! Categories and regions, for coordinators: the category tree every service is filed
//! under (English and French names, and where each sits) and the partnership's regions.
//! One form at a time opens under its list. A save sends the version read (If-Match):
//! a colleague's change in the meantime is never overwritten unseen — the save is
//! refused, the lists reload, and the form says to open it again.

use harbour_types::{Region, RegionInput, TaxonomyTerm, TaxonomyTermInput};
use leptos::prelude::*;
use leptos::task::spawn_local;

use crate::api::ApiError;
use crate::client;
use crate::components::form::{save_failure, SaveButton};
use crate::i18n::{problem_message, use_i18n, Lang, Msg};
use crate::session::use_session;

// This screen's own words: they load with its chunk (`i18n::messages!`).
crate::i18n::messages! { Local {
    CategoriesAndRegions => "Categories and regions", "Catégories et régions";
    CategoriesHint => "Every service is filed under these. A search for a category also finds the services filed under the ones below it.", "Chaque service est classé sous ces catégories. Une recherche par catégorie trouve aussi les services classés sous celles qui en dépendent.";
    AddCategory => "Add a category", "Ajouter une catégorie";
    EditCategory => "Edit category", "Modifier la catégorie";
    CategoryCodeHint => "A stable code for partner systems: lowercase letters, digits, dots and hyphens, e.g. housing.youth", "Un code stable pour les systèmes partenaires : lettres minuscules, chiffres, points et traits d'union, p. ex. housing.youth";
    Code => "Code", "Code";
    SitsUnder => "Sits under", "Se trouve sous";
    TopOfTheTree => "Nothing: a top category", "Rien : catégorie principale";
    WhatItCovers => "What it covers", "Ce qu'elle couvre";
    Regions => "Regions", "Régions";
    AddRegion => "Add a region", "Ajouter une région";
    EditRegion => "Edit region", "Modifier la région";
    ShortName => "Short name", "Nom court";
    RegionSlugHint => "Used in links and by partner systems: lowercase letters, digits and hyphens, e.g. cape-breton", "Utilisé dans les liens et par les systèmes partenaires : lettres minuscules, chiffres et traits d'union, p. ex. cape-breton";
    NameInEnglish => "Name in English", "Nom en anglais";
    NameInFrench => "Name in French", "Nom en français";
    Cancel => "Cancel", "Annuler";
}}

/// The form on screen: a category or a region, new (None) or one read from its list.
#[derive(Debug, Clone, PartialEq)]
enum Editing {
    Term(Option<TaxonomyTerm>),
    Region(Option<Region>),
}

/// A name in the interface's language.
fn in_language(lang: Lang, name: &str, name_fr: &str) -> String {
    if lang == Lang::Fr { name_fr } else { name }.to_owned()
}

/// A category's name in the interface's language.
fn term_name(term: &TaxonomyTerm, lang: Lang) -> String {
    in_language(lang, &term.name, &term.name_fr)
}

/// The categories under `parent`, by name in `lang`.
fn children<'a>(terms: &'a [TaxonomyTerm], parent: Option<&str>, lang: Lang) -> Vec<&'a TaxonomyTerm> {
    let mut found: Vec<&TaxonomyTerm> = terms.iter().filter(|t| t.parent_id.as_deref() == parent).collect();
    found.sort_by_key(|t| term_name(t, lang).to_lowercase());
    found
}

/// The tree in reading order with each category's depth; below `skip` nothing is listed
/// (a category cannot sit under itself or under one of its own).
fn in_tree_order<'a>(terms: &'a [TaxonomyTerm], lang: Lang, skip: Option<&str>) -> Vec<(usize, &'a TaxonomyTerm)> {
    fn walk<'a>(terms: &'a [TaxonomyTerm], parent: Option<&str>, depth: usize, lang: Lang, skip: Option<&str>, out: &mut Vec<(usize, &'a TaxonomyTerm)>) {
        for term in children(terms, parent, lang) {
            if Some(term.id.as_str()) == skip {
                continue;
            }
            out.push((depth, term));
            walk(terms, Some(&term.id), depth + 1, lang, skip, out);
        }
    }
    let mut out = Vec::with_capacity(terms.len());
    walk(terms, None, 0, lang, skip, &mut out);
    out
}

/// One branch of the tree as nested lists, so a screen reader tells each level.
fn branch(terms: &[TaxonomyTerm], parent: Option<&str>, lang: Lang, open: Callback<Editing>) -> AnyView {
    let items = children(terms, parent, lang);
    if items.is_empty() {
        return ().into_any();
    }
    view! {
        <ul class="plain tree">
            {items.into_iter().map(|term| {
                let name = term_name(term, lang);
                let label = format!("{} — {}", Local::EditCategory.text(lang), name);
                let chosen = term.clone();
                view! {
                    <li>
                        <button type="button" class="link" aria-label=label on:click=move |_| open.run(Editing::Term(Some(chosen.clone())))>{name}</button>
                        " "<span class="muted small">{term.code.clone()}</span>
                        {branch(terms, Some(&term.id), lang, open)}
                    </li>
                }
            }).collect_view()}
        </ul>
    }
    .into_any()
}

/// A form's heading, focused when the form opens: keyboard and screen reader users land
/// on the form they asked for, not at the top of the lists.
fn focused_on_open() -> NodeRef<leptos::html::H3> {
    let heading = NodeRef::<leptos::html::H3>::new();
    Effect::new(move |_| {
        if let Some(element) = heading.get() {
            let _ = element.focus();
        }
    });
    heading
}

/// A form's save (a `client` call that creates a record, or replaces it at the version
/// read); the form closes saying `saved`, or stays open saying why not.
struct Sending {
    busy: RwSignal<bool>,
    error: RwSignal<Option<Msg>>,
    done: Callback<Option<Msg>>,
    saved: Msg,
}

impl Sending {
    fn send(self, saving: impl std::future::Future<Output = Result<(), ApiError>> + 'static) {
        self.busy.set(true);
        self.error.set(None);
        spawn_local(async move {
            let outcome = saving.await;
            self.busy.set(false);
            match outcome {
                Ok(_) => self.done.run(Some(self.saved)),
                Err(e) => self.error.set(Some(save_failure(&e))),
            }
        });
    }
}

/// The English and French names every form here asks for; field ids start with `id`.
#[component]
fn NameFields(id: &'static str, name: RwSignal<String>, name_fr: RwSignal<String>) -> impl IntoView {
    let i18n = use_i18n();
    let (en_id, fr_id) = (format!("{id}-name"), format!("{id}-name-fr"));
    view! {
        <label for=en_id.clone()>{i18n.t(Local::NameInEnglish)}</label>
        <input id=en_id required minlength="2" maxlength="120" autocomplete="off" bind:value=name/>
        <label for=fr_id.clone()>{i18n.t(Local::NameInFrench)}</label>
        <input id=fr_id lang="fr" required minlength="2" maxlength="120" autocomplete="off" bind:value=name_fr/>
    }
}

/// A form's end: the error line, Save, and Cancel (which closes it unsaved).
#[component]
fn FormEnd(error: RwSignal<Option<Msg>>, busy: RwSignal<bool>, done: Callback<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    view! {
        <SaveButton error=error busy=busy/>
        <button type="button" class="link" on:click=move |_| done.run(None)>{i18n.t(Local::Cancel)}</button>
    }
}

/// The category form: names, code, where it sits, what it covers.
#[component]
fn TermForm(existing: Option<TaxonomyTerm>, terms: Vec<TaxonomyTerm>, done: Callback<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let t = existing.as_ref();
    let text = |value: Option<&String>| RwSignal::new(value.cloned().unwrap_or_default());
    let name = text(t.map(|t| &t.name));
    let name_fr = text(t.map(|t| &t.name_fr));
    let code = text(t.map(|t| &t.code));
    let parent = RwSignal::new(t.and_then(|t| t.parent_id.clone()).unwrap_or_default());
    let description = text(t.map(|t| &t.description));
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let lang = i18n.0.get_untracked();
    let places: Vec<(String, String)> = in_tree_order(&terms, lang, t.map(|t| t.id.as_str()))
        .into_iter()
        .map(|(depth, term)| (term.id.clone(), format!("{}{}", "— ".repeat(depth), term_name(term, lang))))
        .collect();
    let target = t.map(|t| (t.id.clone(), t.version));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = TaxonomyTermInput {
            code: code.get_untracked().trim().to_owned(),
            parent_id: Some(parent.get_untracked()).filter(|p| !p.is_empty()),
            name: name.get_untracked().trim().to_owned(),
            name_fr: name_fr.get_untracked().trim().to_owned(),
            description: description.get_untracked().trim().to_owned(),
        };
        let (target, token) = (target.clone(), session.token());
        Sending { busy, error, done, saved: Msg::CategorySaved }
            .send(async move { client::save_taxonomy_term(token.as_deref(), target.as_ref().map(|(id, version)| (id.as_str(), *version)), &body).await });
    };
    let heading = existing.as_ref().map_or_else(|| Local::AddCategory.text(lang).to_owned(), |t| term_name(t, lang));
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="term-form-title">
            <h3 id="term-form-title" tabindex="-1" node_ref=focused_on_open()>{heading}</h3>
            <NameFields id="term" name=name name_fr=name_fr/>
            <label for="term-code">{i18n.t(Local::Code)}</label>
            <input id="term-code" required minlength="2" maxlength="80" autocomplete="off" autocapitalize="none" spellcheck="false"
                aria-describedby="term-code-hint" bind:value=code/>
            <p id="term-code-hint" class="muted small">{i18n.t(Local::CategoryCodeHint)}</p>
            <label for="term-parent">{i18n.t(Local::SitsUnder)}</label>
            <select id="term-parent" prop:value=move || parent.get() on:change=move |ev| parent.set(event_target_value(&ev))>
                <option value="">{i18n.t(Local::TopOfTheTree)}</option>
                {places.into_iter().map(|(id, label)| view! { <option value=id>{label}</option> }).collect_view()}
            </select>
            <label for="term-description">{i18n.t(Local::WhatItCovers)}</label>
            <textarea id="term-description" rows="2" maxlength="2000" bind:value=description></textarea>
            <FormEnd error=error busy=busy done=done/>
        </form>
    }
}

/// The region form: its slug and names.
#[component]
fn RegionForm(existing: Option<Region>, done: Callback<Option<Msg>>) -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let r = existing.as_ref();
    let text = |value: Option<&String>| RwSignal::new(value.cloned().unwrap_or_default());
    let name = text(r.map(|r| &r.name));
    let name_fr = text(r.map(|r| &r.name_fr));
    let slug = text(r.map(|r| &r.slug));
    let error = RwSignal::new(None::<Msg>);
    let busy = RwSignal::new(false);
    let target = r.map(|r| (r.id.clone(), r.version));
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = RegionInput { slug: slug.get_untracked().trim().to_owned(), name: name.get_untracked().trim().to_owned(), name_fr: name_fr.get_untracked().trim().to_owned() };
        let (target, token) = (target.clone(), session.token());
        Sending { busy, error, done, saved: Msg::RegionSaved }
            .send(async move { client::save_region(token.as_deref(), target.as_ref().map(|(id, version)| (id.as_str(), *version)), &body).await });
    };
    let lang = i18n.0.get_untracked();
    let heading = existing.as_ref().map_or_else(|| Local::AddRegion.text(lang).to_owned(), |r| in_language(lang, &r.name, &r.name_fr));
    view! {
        <form class="card" on:submit=submit novalidate aria-labelledby="region-form-title">
            <h3 id="region-form-title" tabindex="-1" node_ref=focused_on_open()>{heading}</h3>
            <NameFields id="region" name=name name_fr=name_fr/>
            <label for="region-slug">{i18n.t(Local::ShortName)}</label>
            <input id="region-slug" required minlength="2" maxlength="60" autocomplete="off" autocapitalize="none" spellcheck="false"
                aria-describedby="region-slug-hint" bind:value=slug/>
            <p id="region-slug-hint" class="muted small">{i18n.t(Local::RegionSlugHint)}</p>
            <FormEnd error=error busy=busy done=done/>
        </form>
    }
}

/// The categories-and-regions screen.
#[component]
pub fn CategoriesPage() -> impl IntoView {
    let i18n = use_i18n();
    let session = use_session();
    let generation = RwSignal::new(0u32);
    let terms = LocalResource::new(move || {
        generation.track();
        let token = session.token();
        async move { client::taxonomy_terms(token.as_deref()).await }
    });
    let regions = LocalResource::new(move || {
        generation.track();
        let token = session.token();
        async move { client::regions(token.as_deref()).await }
    });
    let editing = RwSignal::new(None::<Editing>);
    let message = RwSignal::new(None::<Msg>);
    let open = Callback::new(move |chosen: Editing| {
        message.set(None);
        editing.set(Some(chosen));
    });
    // Whatever ended the form, the lists are read again: a refused save means someone
    // else changed them, and the next form must start from their version.
    let done = Callback::new(move |outcome: Option<Msg>| {
        editing.set(None);
        message.set(outcome);
        generation.update(|g| *g += 1);
    });
    let term_list = move || terms.get().and_then(Result::ok).map(|page| page.contents);
    view! {
        <section aria-labelledby="categories-title">
            <h1 id="categories-title">{i18n.t(Local::CategoriesAndRegions)}</h1>
            <p class="notice" role="status" aria-live="polite">{move || message.get().map(|m| m.text(i18n.0.get()))}</p>
            <h2>{i18n.t(Msg::Categories)}</h2>
            <p class="muted small">{i18n.t(Local::CategoriesHint)}</p>
            <button type="button" class="link" on:click=move |_| open.run(Editing::Term(None))>{i18n.t(Local::AddCategory)}</button>
            {move || match (editing.get(), term_list()) {
                (Some(Editing::Term(existing)), Some(list)) => view! { <TermForm existing=existing terms=list done=done/> }.into_any(),
                _ => ().into_any(),
            }}
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || terms.get().map(|outcome| match outcome {
                    Ok(page) => branch(&page.contents, None, i18n.0.get(), open),
                    Err(e) => view! { <p class="error" role="alert">{i18n.t(problem_message(e.code))}</p> }.into_any(),
                })}
            </Transition>
            <h2>{i18n.t(Local::Regions)}</h2>
            <button type="button" class="link" on:click=move |_| open.run(Editing::Region(None))>{i18n.t(Local::AddRegion)}</button>
            {move || match editing.get() {
                Some(Editing::Region(existing)) => view! { <RegionForm existing=existing done=done/> }.into_any(),
                _ => ().into_any(),
            }}
            <Transition fallback=move || view! { <p class="muted" role="status">{i18n.t(Msg::Loading)}</p> }>
                {move || regions.get().and_then(Result::ok).map(|list| {
                    let lang = i18n.0.get();
                    view! {
                        <ul class="plain">
                            {list.into_iter().map(|region| {
                                let name = in_language(lang, &region.name, &region.name_fr);
                                let label = format!("{} — {}", Local::EditRegion.text(lang), name);
                                let slug = region.slug.clone();
                                view! {
                                    <li>
                                        <button type="button" class="link" aria-label=label on:click=move |_| open.run(Editing::Region(Some(region.clone())))>{name}</button>
                                        " "<span class="muted small">{slug}</span>
                                    </li>
                                }
                            }).collect_view()}
                        </ul>
                    }
                })}
            </Transition>
        </section>
    }
}
