//! A table that is either borrowed from data embedded in the binary (the
//! prebuilt default dictionary) or owned. Reading it costs nothing extra; the
//! first write copies a borrowed table into an owned one, so a dictionary
//! that is extended at run time behaves exactly as one built at run time.

use std::ops::{Deref, DerefMut};

#[derive(Clone)]
pub(crate) enum CowVec<T: 'static> {
    Borrowed(&'static [T]),
    Owned(Vec<T>),
}

impl<T: Clone + 'static> CowVec<T> {
    /// The owned vector, copying a borrowed table first.
    pub(crate) fn vec_mut(&mut self) -> &mut Vec<T> {
        if let CowVec::Borrowed(s) = *self {
            *self = CowVec::Owned(s.to_vec());
        }
        match self {
            CowVec::Owned(v) => v,
            CowVec::Borrowed(_) => unreachable!("made owned above"),
        }
    }
}

impl<T> From<Vec<T>> for CowVec<T> {
    fn from(v: Vec<T>) -> Self {
        CowVec::Owned(v)
    }
}

impl<T> Deref for CowVec<T> {
    type Target = [T];

    #[inline(always)]
    fn deref(&self) -> &[T] {
        match self {
            CowVec::Borrowed(s) => s,
            CowVec::Owned(v) => v,
        }
    }
}

impl<T: Clone> DerefMut for CowVec<T> {
    #[inline]
    fn deref_mut(&mut self) -> &mut [T] {
        self.vec_mut()
    }
}
