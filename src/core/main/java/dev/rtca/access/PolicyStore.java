package dev.rtca.access;

import java.util.Optional;

/** Where policy documents are kept, by principal ARN (and {@value #DEFAULT} for the deployment's default). */
public interface PolicyStore {
    /** The key of the document that replaces the built-in default for principals without one of their own. */
    String DEFAULT = "default";

    /** The JSON policy document stored for this key, if any. */
    Optional<String> document(String key);
}
