/** JMH benchmarks of the data path hot loops. */
package io.lifeboat.bench;
