package io.lifeboat.common.engine;

import java.time.Duration;
import java.util.List;

/**
 * Counters of one restore run.
 *
 * @param files regular files written
 * @param dirs directories created or reused
 * @param symlinks symlinks created
 * @param bytes content bytes written
 * @param errors items that could not be restored
 * @param warnings one line per warning (an owner or time that could not be set), capped
 * @param elapsed wall-clock time
 */
public record RestoreSummary(long files, long dirs, long symlinks, long bytes, long errors, List<String> warnings,
        Duration elapsed) {

    public RestoreSummary {
        warnings = warnings == null ? List.of() : List.copyOf(warnings);
    }
}
