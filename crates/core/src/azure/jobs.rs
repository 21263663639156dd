//! A read's requests as jobs for the worker threads, and what the workers send back.

use std::collections::VecDeque;
use std::sync::mpsc::SyncSender;
use std::sync::{Condvar, Mutex, PoisonError};

use serde_json::Value;

use super::AzureError;
use super::http::{Client, Service};
use super::ids::{GalleryRef, encode_segment};
use super::read::page_parts;

#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum List {
    Galleries,
    Definitions,
    Versions,
    Assignments,
}

pub(super) enum Job {
    List {
        list: List,
        url: String,
        /// The gallery (or definition) whose children are listed.
        parent: Option<GalleryRef>,
    },
    Status {
        url: String,
        item: GalleryRef,
    },
    Principal {
        id: String,
    },
}

pub(super) enum Msg {
    Page {
        list: List,
        url: String,
        parent: Option<GalleryRef>,
        items: Vec<Value>,
    },
    Status {
        url: String,
        item: GalleryRef,
        body: Result<Value, AzureError>,
    },
    Principal {
        id: String,
        found: Result<Value, AzureError>,
    },
    /// A list that could not be read (403/404 on a gallery or definition).
    Unreadable {
        list: List,
        parent: Option<GalleryRef>,
        error: AzureError,
    },
    Failed(AzureError),
    Done,
}

/// Jobs waiting for a worker; `None` once the read is over.
pub(super) struct Queue {
    pub(super) jobs: Mutex<Option<VecDeque<Job>>>,
    pub(super) wake: Condvar,
}

impl Queue {
    pub(super) fn push(&self, job: Job) {
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        if let Some(jobs) = jobs.as_mut() {
            jobs.push_back(job);
            self.wake.notify_one();
        }
    }

    pub(super) fn pop(&self) -> Option<Job> {
        let mut jobs = self.jobs.lock().unwrap_or_else(PoisonError::into_inner);
        loop {
            match jobs.as_mut() {
                None => return None,
                Some(queue) => {
                    if let Some(job) = queue.pop_front() {
                        return Some(job);
                    }
                }
            }
            jobs = self.wake.wait(jobs).unwrap_or_else(PoisonError::into_inner);
        }
    }

    pub(super) fn close(&self) {
        *self.jobs.lock().unwrap_or_else(PoisonError::into_inner) = None;
        self.wake.notify_all();
    }
}

/// Runs one job, sending what it found.
pub(super) fn work(client: &Client, job: Job, out: &SyncSender<Msg>) -> bool {
    match job {
        Job::List { list, url, parent } => {
            let mut url = url;
            loop {
                let page = client
                    .get(Service::Arm, &url)
                    .and_then(|page| page_parts(&url, page));
                match page {
                    Ok((_, Some(next))) if !client.arm.owns(&next) => {
                        let error = AzureError::ForeignHost {
                            url: url.clone(),
                            found: client.arm.host_of(&next).unwrap_or_else(|why| why),
                            expected: client.arm.authority(),
                        };
                        let _ = out.send(Msg::Failed(error));
                        return false;
                    }
                    Ok((items, next)) => {
                        let msg = Msg::Page {
                            list,
                            url: url.clone(),
                            parent: parent.clone(),
                            items,
                        };
                        if out.send(msg).is_err() {
                            return false;
                        }
                        match next {
                            Some(next) => url = next,
                            None => return true,
                        }
                    }
                    Err(error) if matches!(error.status(), Some(403 | 404)) && parent.is_some() => {
                        return out
                            .send(Msg::Unreadable {
                                list,
                                parent,
                                error,
                            })
                            .is_ok();
                    }
                    Err(error) => {
                        let _ = out.send(Msg::Failed(error));
                        return false;
                    }
                }
            }
        }
        Job::Status { url, item } => {
            let body = match client.get(Service::Arm, &url) {
                Err(e) if !matches!(e.status(), Some(403 | 404)) => {
                    let _ = out.send(Msg::Failed(e));
                    return false;
                }
                body => body,
            };
            out.send(Msg::Status { url, item, body }).is_ok()
        }
        Job::Principal { id } => {
            let url = client.graph.as_ref().map(|g| {
                g.url(
                    &format!("/v1.0/directoryObjects/{}", encode_segment(&id)),
                    "$select=id,displayName,userPrincipalName,appId",
                )
            });
            let found = match url {
                Some(url) => client.get(Service::Graph, &url),
                None => Err(AzureError::Network {
                    url: String::new(),
                    reason: "no Microsoft Graph endpoint".to_owned(),
                }),
            };
            if matches!(found, Err(AzureError::Cancelled)) {
                let _ = out.send(Msg::Failed(AzureError::Cancelled));
                return false;
            }
            out.send(Msg::Principal { id, found }).is_ok()
        }
    }
}
