/** The lifeboat operator CLI. */
package io.lifeboat.cli;
