/**
 * Typed configuration of the catalog service: {@code @ConfigMapping} interfaces whose defaults live
 * in {@code application.properties}, so every value has one documented place.
 */
package io.lifeboat.catalog.config;
