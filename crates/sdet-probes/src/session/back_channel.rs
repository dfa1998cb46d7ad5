//! The back channel: what a service's server sends to the SSO server (ticket validation, token
//! exchange, JWKS, discovery, metadata). It never carries a browser cookie and never keeps one it
//! is sent, as a server would not; it borrows the session only to share its evidence log and its
//! redactor, so the exchanges stay in order with the browser's.

use url::Url;

use super::{Channel, Session, Share};
use crate::http::{Request, Response, TransportError};

/// Requests on the back channel; made by [`Session::back_channel`].
pub struct BackChannel<'s, 'a> {
    session: &'s mut Session<'a>,
}

impl<'s, 'a> BackChannel<'s, 'a> {
    pub(super) fn new(session: &'s mut Session<'a>) -> Self {
        Self { session }
    }

    /// Sends one request with no cookie (whatever built it) and records it.
    pub async fn send(&mut self, request: Request) -> Result<Response, TransportError> {
        self.session
            .send_on(Channel::Back, request, Share::Never)
            .await
    }

    /// GETs `url`.
    pub async fn get(&mut self, url: Url) -> Result<Response, TransportError> {
        self.send(Request::get(url)).await
    }

    /// GETs `url` and follows redirects up to the limit (metadata and discovery documents may
    /// move); returns the final response.
    pub async fn get_following(&mut self, url: Url) -> Result<Response, TransportError> {
        self.session
            .follow_on(Channel::Back, url, Share::Never)
            .await
    }

    /// [`get_following`](BackChannel::get_following) for a public document (metadata, a
    /// discovery document, a key set): each hop may take the answer another probe of the audit
    /// got to the identical request, as `Session::read` does. Never for a ticket or a token.
    pub async fn read_following(&mut self, url: Url) -> Result<Response, TransportError> {
        self.session
            .follow_on(Channel::Back, url, Share::IfAnonymous)
            .await
    }
}
