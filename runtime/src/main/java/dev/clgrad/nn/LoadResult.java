package dev.clgrad.nn;

import java.util.List;

/**
 * What {@link Module#loadStateDict} found, as PyTorch's {@code _IncompatibleKeys}: the keys the
 * module has but the state lacked, and the keys the state had but the module lacks, each in
 * PyTorch's order. Both are empty after a successful strict load.
 *
 * @param missingKeys module keys absent from the state dict
 * @param unexpectedKeys state dict keys that name nothing in the module
 */
public record LoadResult(List<String> missingKeys, List<String> unexpectedKeys) {
    /** Copies both lists, so the record cannot change afterwards. */
    public LoadResult {
        missingKeys = List.copyOf(missingKeys);
        unexpectedKeys = List.copyOf(unexpectedKeys);
    }
}
