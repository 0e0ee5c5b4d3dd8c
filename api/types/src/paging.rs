//! Paged lists, in the shape Open Referral HSDS 3.0 uses for its list endpoints.

use serde::{Deserialize, Serialize};

/// One page of a list (HSDS 3.0 paging shape).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::ToSchema))]
pub struct Page<T> {
    /// The number of items across all pages.
    pub total_items: u64,
    /// The number of pages.
    pub total_pages: u64,
    /// This page's number, from 1.
    pub page_number: u64,
    /// The number of items on this page.
    pub size: u64,
    /// Whether this is the first page.
    pub first_page: bool,
    /// Whether this is the last page.
    pub last_page: bool,
    /// Whether this page holds no items.
    pub empty: bool,
    /// The items.
    pub contents: Vec<T>,
}

impl<T> Page<T> {
    /// The requested page of a list held whole (a short list filtered in memory).
    pub fn slice(all: Vec<T>, request: PageRequest) -> Self {
        let total = all.len() as u64;
        let skip = usize::try_from(request.offset()).unwrap_or(usize::MAX);
        let take = usize::try_from(request.per_page()).unwrap_or(usize::MAX);
        Page::new(all.into_iter().skip(skip).take(take).collect(), total, request)
    }

    /// Builds a page from its items, the total count and the request that asked for it.
    pub fn new(contents: Vec<T>, total_items: u64, request: PageRequest) -> Self {
        let per_page = request.per_page();
        let total_pages = total_items.div_ceil(per_page).max(1);
        let page_number = request.page();
        Page {
            total_items,
            total_pages,
            page_number,
            size: contents.len() as u64,
            first_page: page_number == 1,
            last_page: page_number >= total_pages,
            empty: contents.is_empty(),
            contents,
        }
    }

    /// Maps each item, keeping the paging figures.
    pub fn map<U>(self, f: impl FnMut(T) -> U) -> Page<U> {
        Page {
            total_items: self.total_items,
            total_pages: self.total_pages,
            page_number: self.page_number,
            size: self.size,
            first_page: self.first_page,
            last_page: self.last_page,
            empty: self.empty,
            contents: self.contents.into_iter().map(f).collect(),
        }
    }
}

/// The paging part of a list request's query string.
#[derive(Debug, Clone, Copy, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "server", derive(utoipa::IntoParams))]
#[cfg_attr(feature = "server", into_params(parameter_in = Query))]
pub struct PageRequest {
    /// The page to return, from 1 (default 1).
    #[cfg_attr(feature = "server", param(minimum = 1, example = 1))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub page: Option<u64>,
    /// Items per page, 1 to 100 (default 25).
    #[cfg_attr(feature = "server", param(minimum = 1, maximum = 100, example = 25))]
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub per_page: Option<u64>,
}

impl PageRequest {
    /// The largest page a client may ask for: bounds the work of one request.
    pub const MAX_PER_PAGE: u64 = 100;
    const DEFAULT_PER_PAGE: u64 = 25;

    /// The page number, at least 1.
    pub fn page(&self) -> u64 {
        self.page.unwrap_or(1).max(1)
    }

    /// Items per page, clamped to 1..=MAX_PER_PAGE (the server refuses others first:
    /// `http::checked_page`).
    pub fn per_page(&self) -> u64 {
        self.per_page
            .unwrap_or(Self::DEFAULT_PER_PAGE)
            .clamp(1, Self::MAX_PER_PAGE)
    }

    /// How many items to skip (saturating: a page number past any list, however large,
    /// is an empty page, not an overflow).
    pub fn offset(&self) -> u64 {
        (self.page() - 1).saturating_mul(self.per_page())
    }
}
