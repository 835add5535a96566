/**
 * Index files (format section 9), which say which pack holds which blob, and the in-memory
 * index a repository builds from all of them at open.
 */
package io.lifeboat.common.index;
