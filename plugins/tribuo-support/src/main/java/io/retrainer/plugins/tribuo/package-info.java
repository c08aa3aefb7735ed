/**
 * Code shared by the Tribuo-based plugins (logistic-regression, linear-regression, decision-tree,
 * random-forest): feature encoding, the stored artifact format, the prediction path and training
 * checks. Not a plugin: PF4J gives every plugin its own class loader, so plugins cannot share classes
 * at run time; each plugin instead bundles its own copy of this library (shaded into its jar).
 */
package io.retrainer.plugins.tribuo;
