/**
 * ECharts with only what the KPI pages draw (line and bar charts, axes, tooltip, legend, the 95% line),
 * registered once: the tree-shaken core keeps the charts chunk small, and it loads only with the KPI page.
 */
import { BarChart, LineChart } from 'echarts/charts';
import { GridComponent, LegendComponent, MarkLineComponent, TooltipComponent } from 'echarts/components';
import * as echarts from 'echarts/core';
import { CanvasRenderer } from 'echarts/renderers';

echarts.use([LineChart, BarChart, GridComponent, TooltipComponent, LegendComponent, MarkLineComponent, CanvasRenderer]);

export { echarts };
