/**
 * Test plumbing shared by every Outrigger module, the e2e suite and the benches. Used in
 * test scope only; it depends on no Outrigger module, so the kit's own tests can use it
 * too.
 */
package dev.outrigger.testsupport;
