/**
 * What the four Lifeboat services share, as CDI beans in one bean archive: who the process is
 * ({@code config}), its health checks ({@code health}), its metric tags ({@code metrics}) and its
 * RFC 9457 error bodies ({@code problem}). A service depends on this jar and sets only its own name.
 */
package io.lifeboat.service;
