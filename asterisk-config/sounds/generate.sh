#!/bin/sh
# Regenerates the Mandarin prompts (zh/*.wav, 8 kHz mono 16-bit, what Asterisk plays without transcoding)
# from the text beside each one (zh/*.txt), with espeak-ng's Mandarin voice. Needs: apt-get install espeak-ng sox
# Until recordings by a person exist, these synthetic prompts are the shipped ones.
set -eu
cd "$(dirname "$0")/zh"
for text in *.txt; do
  name="${text%.txt}"
  espeak-ng -v cmn -s 150 -w "/tmp/$name.$$.wav" -f "$text"
  sox "/tmp/$name.$$.wav" -r 8000 -c 1 -b 16 "$name.wav" gain -3
  rm -f "/tmp/$name.$$.wav"
done
echo "generated $(ls *.wav | wc -l) prompts in $(pwd)"
