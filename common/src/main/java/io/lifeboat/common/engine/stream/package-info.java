/**
 * The stream engine: {@link io.lifeboat.common.engine.stream.StreamSource} backs up standard input or
 * the standard output of a command (a database dump, a tar stream) as a snapshot holding one file.
 * Such snapshots restore and dump through the file-tree engine.
 */
package io.lifeboat.common.engine.stream;
