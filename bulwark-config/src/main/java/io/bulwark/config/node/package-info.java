/**
 * A YAML/JSON document as a tree whose every node knows its file, line and key path, so that each
 * validation message can say exactly where the offending key is. Section parsers (edge, WAF,
 * health, DNS) read this tree and report {@link io.bulwark.config.node.ConfigProblem}s.
 */
package io.bulwark.config.node;
