//! *File → Import from Azure JSON…* in the app: starting an import of files picked in the
//! desktop's dialog, and applying an import the user accepted. The import itself
//! runs on a background thread (`tasks/import.rs`) while the dialog (`dialogs/import.rs`) shows
//! its progress and summary.

use crate::model::{Edit, ResourcePath, Resources};
use crate::ui::app::SigStudioApp;
use crate::ui::dialogs::DialogRequest;
use crate::ui::dialogs::import::ImportRequest;
use crate::ui::intent::AcceptedImport;

impl SigStudioApp {
    /// Starts importing files picked in the desktop's dialog.
    pub(in crate::ui) fn start_import(
        &mut self,
        files: Vec<std::path::PathBuf>,
        ctx: &egui::Context,
    ) {
        self.open(DialogRequest::Import(ImportRequest::Files(files)), ctx);
    }

    /// Applies an accepted import as one undo step: the galleries, directory, grants and
    /// managed images of the workspace are replaced by the imported ones (which hold everything
    /// the workspace held, merged with the files), and Undo puts the previous ones back.
    ///
    /// This is the one place an accepted import changes the document.
    pub(in crate::ui) fn accept_import(&mut self, accepted: AcceptedImport) {
        let AcceptedImport {
            mut imported,
            generation,
            inputs,
            label,
            notice,
        } = accepted;
        if generation != self.doc.generation() {
            // The service changed the workspace while the summary was read (replication
            // progress): merge the same files into the workspace as it is now, so that nothing
            // it did meanwhile is undone.
            imported = self.doc.ws().clone();
            if let Err(err) = crate::import::import(&mut imported, &inputs) {
                self.show_message(
                    "Could not import",
                    format!("{err}\n\nNothing was imported."),
                );
                return;
            }
        }
        // The first gallery the import adds is selected, so the tree shows where it went.
        let ws = self.doc.ws();
        let added = imported
            .galleries
            .iter()
            .find(|g| ws.gallery(&g.name).is_none())
            .map(|g| ResourcePath::gallery(&g.name));
        let edit = Edit::ReplaceResources {
            label,
            resources: Box::new(Resources::take(&mut imported)),
        };
        if self.apply_edit(edit, added, Some(notice)) {
            // What the files said of Azure; undo leaves it (it moves the planned state only).
            self.doc.set_azure(imported.azure.take());
        }
    }
}
