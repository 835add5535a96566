/**
 * Packs: many encrypted blobs concatenated, closed by an encrypted trailer that lists them (format
 * sections 7 and 8). Writers, readers and the blob codec; no object-store access, so the same
 * code serves backup, restore and {@code check --read-data}.
 */
package io.lifeboat.common.pack;
