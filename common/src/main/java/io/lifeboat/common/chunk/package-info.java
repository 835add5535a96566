/** Content-defined chunking: splits a byte stream into chunks whose boundaries follow content. */
package io.lifeboat.common.chunk;
