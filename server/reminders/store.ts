/** Reminder templates are versioned documents (draft with revision, immutable published versions). */
import { DocumentStore } from "../documents/store";
import { CONTENT_FIELDS, emptyContent } from "./content";

export const reminderTemplateStore = new DocumentStore({
  kind: "reminder-template",
  contentFields: CONTENT_FIELDS,
  emptyContent,
});
