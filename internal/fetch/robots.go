package fetch

import (
	"bufio"
	"bytes"
	"strings"
)

// robotsMaxBytes is the part of a robots.txt we read; RFC 9309 asks crawlers to parse
// at least 500 KiB.
const robotsMaxBytes = 512 << 10

// robotsRules is the part of a robots.txt that applies to one crawler.
type robotsRules struct {
	rules []robotsRule
	// disallowAll is set when robots.txt could not be fetched because of a server error:
	// RFC 9309 §2.3.1.4 says to assume the whole site is off limits.
	disallowAll bool
}

type robotsRule struct {
	allow   bool
	pattern string
}

// parseRobots extracts the rules for the crawler whose product token is token
// (case-insensitive), falling back to the "*" groups, as RFC 9309 describes: groups
// start with one or more user-agent lines; all groups naming the token are merged.
func parseRobots(body []byte, token string) *robotsRules {
	if len(body) > robotsMaxBytes {
		body = body[:robotsMaxBytes]
	}
	token = strings.ToLower(token)
	var mine, star []robotsRule
	var haveMine bool
	var agents []string
	inRules := false // the current group has seen a rule, so a user-agent line starts a new group
	sc := bufio.NewScanner(bytes.NewReader(body))
	sc.Buffer(make([]byte, 0, 4096), robotsMaxBytes)
	for sc.Scan() {
		line := sc.Text()
		if i := strings.IndexByte(line, '#'); i >= 0 {
			line = line[:i]
		}
		key, value, ok := strings.Cut(line, ":")
		if !ok {
			continue
		}
		key = strings.ToLower(strings.TrimSpace(key))
		value = strings.TrimSpace(value)
		switch key {
		case "user-agent", "useragent", "user agent":
			if inRules {
				agents, inRules = nil, false
			}
			// Tolerate "O2SoundBot/1.0": only the product token names the crawler.
			agent := strings.ToLower(value)
			if i := strings.IndexAny(agent, "/ \t"); i > 0 {
				agent = agent[:i]
			}
			agents = append(agents, agent)
			if agent == token {
				haveMine = true
			}
		case "allow", "disallow":
			inRules = true
			if len(agents) == 0 {
				continue // a rule outside any group is ignored
			}
			if value == "" {
				continue // "Disallow:" with no path allows everything; it adds no rule
			}
			r := robotsRule{allow: key == "allow", pattern: normalizeRobotsPath(value)}
			for _, a := range agents {
				switch {
				case a == token:
					mine = append(mine, r)
				case a == "*":
					star = append(star, r)
				}
			}
		default:
			// sitemap, crawl-delay and friends do not end a group.
		}
	}
	if haveMine {
		return &robotsRules{rules: mine}
	}
	return &robotsRules{rules: star}
}

// allowed applies the longest-match rule of RFC 9309 §2.2.2: the most specific matching
// rule wins, and allow wins a tie. pathQuery is the escaped path plus query.
func (r *robotsRules) allowed(pathQuery string) bool {
	if r == nil {
		return true
	}
	if r.disallowAll {
		return false
	}
	if pathQuery == "" {
		pathQuery = "/"
	}
	if pathQuery == "/robots.txt" {
		return true
	}
	pathQuery = normalizeRobotsPath(pathQuery)
	best, allow := -1, true
	for _, rule := range r.rules {
		if !robotsMatch(rule.pattern, pathQuery) {
			continue
		}
		n := len(rule.pattern)
		if n > best || n == best && rule.allow {
			best, allow = n, rule.allow
		}
	}
	return allow
}

// normalizeRobotsPath upper-cases percent escapes so "%7e" and "%7E" compare equal.
func normalizeRobotsPath(s string) string {
	if !strings.Contains(s, "%") {
		return s
	}
	b := []byte(s)
	for i := 0; i+2 < len(b); i++ {
		if b[i] == '%' && isHex(b[i+1]) && isHex(b[i+2]) {
			b[i+1], b[i+2] = upperHex(b[i+1]), upperHex(b[i+2])
			i += 2
		}
	}
	return string(b)
}

func isHex(c byte) bool {
	return c >= '0' && c <= '9' || c >= 'a' && c <= 'f' || c >= 'A' && c <= 'F'
}

func upperHex(c byte) byte {
	if c >= 'a' && c <= 'f' {
		return c - 'a' + 'A'
	}
	return c
}

// robotsMatch matches a robots.txt pattern ('*' any run, trailing '$' end anchor; an
// unanchored pattern is a prefix match) in O(len(pattern)·len(path)) at worst.
func robotsMatch(pattern, path string) bool {
	anchored := strings.HasSuffix(pattern, "$")
	if anchored {
		pattern = pattern[:len(pattern)-1]
	}
	if !strings.Contains(pattern, "*") {
		if anchored {
			return path == pattern
		}
		return strings.HasPrefix(path, pattern)
	}
	// Greedy wildcard matching with a single backtrack point (the classic glob loop).
	p, s := 0, 0
	star, mark := -1, 0
	for s < len(path) {
		switch {
		case p < len(pattern) && pattern[p] == '*':
			star, mark = p, s
			p++
		case p < len(pattern) && pattern[p] == path[s]:
			p++
			s++
		case p == len(pattern) && !anchored:
			return true // the pattern is a prefix of what is left
		case star >= 0:
			p = star + 1
			mark++
			s = mark
		default:
			return false
		}
	}
	for p < len(pattern) && pattern[p] == '*' {
		p++
	}
	return p == len(pattern)
}
