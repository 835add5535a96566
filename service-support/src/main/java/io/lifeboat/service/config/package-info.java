/**
 * Typed configuration shared by every service: {@code @ConfigMapping} interfaces whose defaults live
 * in the service's {@code application.properties} or in this jar's
 * {@code META-INF/microprofile-config.properties}, so every value has one documented place.
 */
package io.lifeboat.service.config;
