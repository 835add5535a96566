/** The development KMS server: AWS KMS JSON protocol, for development and tests only. */
package io.lifeboat.devkms;
