import { Alert, Button, Select, Space, Typography } from 'antd';
import { useEffect, useRef, useState } from 'react';
import { useTranslation } from 'react-i18next';
import { wavPeaks } from './wav.ts';

const bars = 300;
const speeds = [0.75, 1, 1.25, 1.5, 2];

/**
 * The review's recording: fetched once (one audited playback), played by an audio element (its own controls, a
 * speed setting through playbackRate) and drawn as a waveform from the wav's samples; a click on the waveform plays
 * from that point.
 */
export function Player({ src }: { src: string }) {
  const { t } = useTranslation();
  const audio = useRef<HTMLAudioElement>(null);
  const canvas = useRef<HTMLCanvasElement>(null);
  const [url, setUrl] = useState<string>();
  const [peaks, setPeaks] = useState<number[]>([]);
  const [failed, setFailed] = useState(false);
  const [position, setPosition] = useState(0);
  const [speed, setSpeed] = useState(1);

  useEffect(() => {
    let objectUrl: string | undefined;
    let live = true;
    fetch(src, { credentials: 'same-origin' })
      .then(async (res) => {
        if (!res.ok) throw new Error(String(res.status));
        const bytes = await res.arrayBuffer();
        if (!live) return;
        setPeaks(wavPeaks(bytes, bars));
        objectUrl = URL.createObjectURL(new Blob([bytes], { type: 'audio/wav' }));
        setUrl(objectUrl);
      })
      .catch(() => live && setFailed(true));
    return () => {
      live = false;
      if (objectUrl) URL.revokeObjectURL(objectUrl);
    };
  }, [src]);

  useEffect(() => {
    const c = canvas.current;
    const ctx = c?.getContext('2d');
    if (!c || !ctx) return;
    ctx.clearRect(0, 0, c.width, c.height);
    const w = c.width / Math.max(peaks.length, 1);
    peaks.forEach((p, i) => {
      ctx.fillStyle = i / peaks.length < position ? '#1677ff' : '#bfbfbf';
      const h = Math.max(1, p * c.height);
      ctx.fillRect(i * w, (c.height - h) / 2, Math.max(1, w - 1), h);
    });
  }, [peaks, position]);

  if (failed) return <Alert type="warning" showIcon title={t('quality.player.noRecording')} />;
  if (!url) return <Typography.Text type="secondary">{t('quality.player.loading')}</Typography.Text>;

  const seek = (event: React.MouseEvent<HTMLCanvasElement>) => {
    const a = audio.current;
    if (!a || !Number.isFinite(a.duration)) return;
    const rect = event.currentTarget.getBoundingClientRect();
    a.currentTime = ((event.clientX - rect.left) / rect.width) * a.duration;
    void a.play();
  };
  return (
    <Space orientation="vertical" style={{ width: '100%' }} data-testid="quality-player">
      <canvas
        ref={canvas}
        width={900}
        height={80}
        onClick={seek}
        aria-label={t('quality.player.waveform')}
        data-testid="quality-waveform"
        data-peaks={peaks.length}
        style={{ width: '100%', height: 80, cursor: 'pointer', background: '#fafafa', border: '1px solid #f0f0f0' }}
      />
      <Space wrap>
        <audio
          ref={audio}
          src={url}
          controls
          data-testid="quality-audio"
          onTimeUpdate={(e) => setPosition(e.currentTarget.duration ? e.currentTarget.currentTime / e.currentTarget.duration : 0)}
        />
        <Typography.Text>{t('quality.player.speed')}</Typography.Text>
        <Select
          aria-label={t('quality.player.speed')}
          data-testid="quality-speed"
          value={speed}
          style={{ width: 90 }}
          options={speeds.map((s) => ({ value: s, label: `${s}×` }))}
          onChange={(s) => {
            setSpeed(s);
            if (audio.current) audio.current.playbackRate = s;
          }}
        />
        <Button size="small" onClick={() => void audio.current?.play()}>
          {t('quality.player.play')}
        </Button>
        <Button size="small" onClick={() => audio.current?.pause()}>
          {t('quality.player.pause')}
        </Button>
      </Space>
    </Space>
  );
}
