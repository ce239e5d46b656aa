"""Reads SwiftKeras TensorBoard event files with the real `tensorboard` package.

Usage: /opt/kerasenv/bin/python Scripts/tensorboard_check.py LOGDIR_OR_EVENT_FILE [...]

For each event file (found recursively under a directory), loads it with
tensorboard.backend.event_processing.event_accumulator.EventAccumulator (which checks
the TFRecord CRCs and parses the Event protos) and prints every scalar tag with its
(step, value) pairs. Exits non-zero when a file yields no scalars.
"""
import os
import sys

from tensorboard.backend.event_processing import event_accumulator


def event_files(path):
    if os.path.isfile(path):
        yield path
        return
    for root, _, files in os.walk(path):
        for name in sorted(files):
            if "tfevents" in name:
                yield os.path.join(root, name)


def main(paths):
    status = 0
    for path in paths:
        for file in event_files(path):
            acc = event_accumulator.EventAccumulator(file, size_guidance={event_accumulator.SCALARS: 0})
            acc.Reload()
            tags = acc.Tags()["scalars"]
            print(f"== {file}")
            if not tags:
                print("   (no scalars)")
                status = 1
            for tag in sorted(tags):
                points = ", ".join(f"{e.step}:{e.value:.6g}" for e in acc.Scalars(tag))
                print(f"   {tag}: {points}")
    return status


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:] or ["logs"]))
