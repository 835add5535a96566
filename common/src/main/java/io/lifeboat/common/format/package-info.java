/**
 * Shared pieces of the byte-level repository format: the sealed-envelope codec every encrypted
 * metadata object uses, a bounds-checked reader for parsers, and the one JSON mapper. Parsers
 * here never allocate more than the input they were given.
 */
package io.lifeboat.common.format;
