/** Lifeboat core: repository format, pipeline, ports and adapters. Framework-free. */
package io.lifeboat.common;
