//! The back channel: what a service's server sends to the SSO server (ticket validation, token
//! exchange, JWKS, discovery, metadata). It never carries a browser cookie and never keeps one it
//! is sent, as a server would not; it borrows the session only to share its evidence log and its
//! redactor, so the exchanges stay in order with the browser's.

use url::Url;

use super::Session;
use crate::probe::http::{Request, Response, TransportError};

/// Requests on the back channel; made by [`Session::back_channel`].
pub struct BackChannel<'s, 'a> {
    session: &'s mut Session<'a>,
}

impl<'s, 'a> BackChannel<'s, 'a> {
    pub(super) fn new(session: &'s mut Session<'a>) -> Self {
        Self { session }
    }

    /// Sends one request with no cookie and records it.
    pub async fn send(&mut self, mut request: Request) -> Result<Response, TransportError> {
        // Whatever built the request, a browser cookie never rides on the back channel.
        request
            .headers
            .retain(|(name, _)| !name.eq_ignore_ascii_case("cookie"));
        let result = self.session.exchange(&request).await;
        if let Ok(response) = &result {
            for header in response.header_values("set-cookie") {
                if let Ok(cookie) = cookie_store::RawCookie::parse(header) {
                    self.session.redactor.add_secret(cookie.value());
                }
            }
        }
        result
    }

    /// GETs `url`.
    pub async fn get(&mut self, url: Url) -> Result<Response, TransportError> {
        self.send(Request::get(url)).await
    }

    /// GETs `url` and follows redirects up to the limit (metadata and discovery documents may
    /// move); returns the final response.
    pub async fn get_following(&mut self, url: Url) -> Result<Response, TransportError> {
        let mut seen = vec![url.clone()];
        let mut response = self.get(url).await?;
        while let Some(next) = self.session.next_hop(&response, &mut seen)? {
            response = self.get(next).await?;
        }
        Ok(response)
    }

    /// Masks `secret` in everything recorded from now on.
    pub fn add_secret(&mut self, secret: &str) {
        self.session.redactor.add_secret(secret);
    }
}
