/**
 * Typed configuration of the monitor service: {@code @ConfigMapping} interfaces whose defaults live
 * in {@code application.properties}, so every value has one documented place.
 */
package io.lifeboat.monitor.config;
