//! Archived PDFs appended to a report as its last pages: the dossier reproduces, page for page,
//! letters archived before their laid-out pages were kept (their PDF bytes are all there is).
//!
//! Each appended PDF is read whole first ([`Appendix::read`]), so that one the reader cannot
//! take is named in the report rather than breaking it; then its objects are renumbered above
//! the report's, its pages hung under the report's page tree (with the attributes they
//! inherited from their own tree copied onto them), and the rest of its own tree left behind.

use lopdf::{Dictionary, Document, Object, ObjectId};

/// A PDF read and ready to be appended.
pub struct Appendix(Document);

/// Attributes a page may inherit from its page tree (PDF 32000-1:2008, 7.7.3.4).
const INHERITED: [&[u8]; 4] = [b"Resources", b"MediaBox", b"CropBox", b"Rotate"];

impl Appendix {
    /// Reads `pdf`, or says why it cannot be appended.
    pub fn read(pdf: &[u8]) -> Result<Appendix, String> {
        let doc = Document::load_mem(pdf).map_err(|e| format!("not a readable PDF ({e})"))?;
        if doc.get_pages().is_empty() {
            return Err("a PDF without pages".to_owned());
        }
        Ok(Appendix(doc))
    }

    /// How many pages it adds.
    pub fn pages(&self) -> usize {
        self.0.get_pages().len()
    }
}

/// `report` with the pages of each appendix after its own, in order.
pub fn append(report: &[u8], appendices: Vec<Appendix>) -> Result<Vec<u8>, String> {
    let broken = |e: lopdf::Error| format!("the report's PDF: {e}");
    let mut doc = Document::load_mem(report).map_err(broken)?;
    let root = pages_root(&doc).map_err(broken)?;
    let mut kids = Vec::new();
    for Appendix(mut other) in appendices {
        other.renumber_objects_with(doc.max_id + 1);
        let own_tree = tree_nodes(&other);
        let catalog = other.trailer.get(b"Root").and_then(Object::as_reference).ok();
        for page in other.get_pages().into_values() {
            let inherited = inherited_attributes(&other, page);
            let dict = other
                .get_object_mut(page)
                .and_then(Object::as_dict_mut)
                .map_err(|e| format!("an appended page: {e}"))?;
            for (key, value) in inherited {
                if !dict.has(&key) {
                    dict.set(key, value);
                }
            }
            dict.set("Parent", Object::Reference(root));
            kids.push(Object::Reference(page));
        }
        doc.max_id = doc.max_id.max(other.max_id);
        for (id, object) in other.objects {
            if Some(id) != catalog && !own_tree.contains(&id) {
                doc.objects.insert(id, object);
            }
        }
    }
    let tree = doc.get_object_mut(root).and_then(Object::as_dict_mut).map_err(broken)?;
    let count = tree.get(b"Count").and_then(Object::as_i64).map_err(broken)?;
    tree.set("Count", Object::Integer(count + kids.len() as i64));
    tree.get_mut(b"Kids")
        .and_then(Object::as_array_mut)
        .map_err(broken)?
        .extend(kids);
    let mut out = Vec::new();
    doc.save_to(&mut out)
        .map_err(|e| format!("the dossier could not be written: {e}"))?;
    Ok(out)
}

fn pages_root(doc: &Document) -> lopdf::Result<ObjectId> {
    doc.catalog()?.get(b"Pages")?.as_reference()
}

/// The intermediate nodes of a document's page tree (everything of type /Pages).
fn tree_nodes(doc: &Document) -> std::collections::HashSet<ObjectId> {
    doc.objects
        .iter()
        .filter(|(_, o)| {
            o.as_dict()
                .ok()
                .and_then(|d| d.get(b"Type").ok())
                .and_then(|t| t.as_name().ok())
                == Some(b"Pages".as_slice())
        })
        .map(|(id, _)| *id)
        .collect()
}

/// What `page` inherits from the nodes above it, nearest first.
fn inherited_attributes(doc: &Document, page: ObjectId) -> Vec<(Vec<u8>, Object)> {
    let mut found: Vec<(Vec<u8>, Object)> = Vec::new();
    let mut node: Option<&Dictionary> = doc.get_dictionary(page).ok();
    let mut seen = 0;
    while let Some(dict) = node {
        for key in INHERITED {
            if found.iter().all(|(k, _)| k != key) {
                if let Ok(value) = dict.get(key) {
                    found.push((key.to_vec(), value.clone()));
                }
            }
        }
        // A malformed tree may loop; a real one is never this deep.
        seen += 1;
        node = match dict.get(b"Parent").and_then(Object::as_reference) {
            Ok(parent) if seen < 64 => doc.get_dictionary(parent).ok(),
            _ => None,
        };
    }
    found
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::letters::layout::Page;
    use crate::letters::pdf::{write, PdfInfo};

    fn pdf(pages: usize) -> Vec<u8> {
        let info = PdfInfo {
            title: "t",
            author: "a",
            created: chrono::DateTime::UNIX_EPOCH,
        };
        write(&vec![Page::default(); pages], &info, None)
    }

    #[test]
    fn appended_pages_follow_the_reports_own() {
        let out = append(
            &pdf(2),
            vec![Appendix::read(&pdf(1)).unwrap(), Appendix::read(&pdf(3)).unwrap()],
        )
        .unwrap();
        let doc = Document::load_mem(&out).unwrap();
        assert_eq!(doc.get_pages().len(), 6);
        let root = pages_root(&doc).unwrap();
        for page in doc.get_pages().into_values() {
            let dict = doc.get_dictionary(page).unwrap();
            assert_eq!(dict.get(b"Parent").unwrap().as_reference().unwrap(), root);
            assert!(dict.has(b"MediaBox") || doc.get_dictionary(root).unwrap().has(b"MediaBox"));
        }
    }

    #[test]
    fn what_is_not_a_pdf_is_named_not_appended() {
        assert!(Appendix::read(b"%PDF-1.7 not really").is_err());
        assert!(Appendix::read(b"").is_err());
    }
}
