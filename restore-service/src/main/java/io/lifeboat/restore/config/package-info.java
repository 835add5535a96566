/**
 * Typed configuration of the restore service: {@code @ConfigMapping} interfaces whose defaults live
 * in {@code application.properties}, so every value has one documented place.
 */
package io.lifeboat.restore.config;
