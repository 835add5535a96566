/**
 * Typed configuration of the backup service: {@code @ConfigMapping} interfaces whose defaults live
 * in {@code application.properties}, so every value has one documented place.
 */
package io.lifeboat.backup.config;
