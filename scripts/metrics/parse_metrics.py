#!/usr/bin/env python3
"""Parses a Prometheus text exposition (stdin) with prometheus_client's parser and prints it as JSON.

Output: {"families": [{"name", "type", "help", "samples": [{"name", "labels", "value"}]}]}.
Values are numbers, or the strings "+Inf", "-Inf", "NaN". Exits 3 when prometheus_client is not
installed and 4 when the text does not parse, with the reason on stderr.
Install the parser with `python3 -m pip install prometheus_client`.
"""
import json
import math
import sys

try:
    from prometheus_client.parser import text_string_to_metric_families
except ImportError as error:  # pragma: no cover - reported to the caller
    print(f"prometheus_client is not installed: {error}", file=sys.stderr)
    sys.exit(3)


def number(value):
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "+Inf" if value > 0 else "-Inf"
    return value


def main():
    text = sys.stdin.read()
    try:
        families = []
        for family in text_string_to_metric_families(text):
            families.append({
                "name": family.name,
                "type": family.type,
                "help": family.documentation,
                "samples": [
                    {"name": sample.name, "labels": dict(sample.labels), "value": number(sample.value)}
                    for sample in family.samples
                ],
            })
    except Exception as error:  # the parser raises ValueError and others on malformed text
        print(f"cannot parse the exposition: {error!r}", file=sys.stderr)
        sys.exit(4)
    json.dump({"families": families}, sys.stdout, sort_keys=True)


if __name__ == "__main__":
    main()
