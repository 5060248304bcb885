#!/usr/bin/env python3
"""Replace the block between <!-- NAME --> and <!-- /NAME --> in README.md
with the contents of a file:  python3 tests/readme_block.py NAME FILE"""
import re
import sys

name, path = sys.argv[1], sys.argv[2]
body = open(path, encoding="utf-8").read().strip()
readme = open("README.md", encoding="utf-8").read()
pat = re.compile(r"(<!-- %s -->\n).*?(<!-- /%s -->)" % (re.escape(name), re.escape(name)), re.S)
if not pat.search(readme):
    sys.exit(f"README.md has no <!-- {name} --> block")
readme = pat.sub(lambda m: m.group(1) + body + "\n" + m.group(2), readme)
open("README.md", "w", encoding="utf-8").write(readme)
