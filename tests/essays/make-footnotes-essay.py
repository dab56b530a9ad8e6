#!/usr/bin/env python3
"""Writes tests/essays/footnotes.md: ~30 paragraphs with 25 footnotes of mixed lengths
(short citations, three-clause notes, and long notes that split across pages).
Reproducible: python3 tests/essays/make-footnotes-essay.py > tests/essays/footnotes.md"""
import random

random.seed(11)
SENT = ["新质生产力是以科技创新为主导的先进生产力形态", "它摆脱了传统经济增长方式和生产力发展路径", "数字技术正在深刻改变生产要素的组合方式",
        "高素质劳动者是推动产业升级的第一资源", "绿色低碳转型要求能源结构持续优化", "人工智能与实体经济的融合不断加深",
        "区域协调发展需要因地制宜地培育新动能", "制度创新为技术创新提供了良好的环境", "教育、科技、人才三者相互支撑、协同推进",
        "数据作为新型生产要素的作用日益凸显", "企业是科技创新的主体，也是成果转化的关键", "开放合作有助于在全球范围内配置创新资源"]
SHORT = ["参见国家统计局发布的年度统计公报。", "此处引自课堂讲义第三讲。", "数据截至2024年底。", "同上，第45页。", "作者根据公开资料整理。"]
LONG = ("这一判断需要放在更长的历史时段中理解：从第一次工业革命的蒸汽机，到第二次工业革命的电力与内燃机，再到信息革命的计算机与互联网，"
        "每一次生产力的跃升都伴随着生产关系的深刻调整。今天的数字技术革命同样如此，它不仅改变了生产工具，也改变了劳动者的技能结构、企业的组织形态"
        "以及市场的运行方式。因此，讨论新质生产力不能只看技术本身，还要看制度、人才与市场如何协同演进，这正是本文后续各节试图回答的问题。"
        "需要说明的是，本文所用数据多来自公开的统计年鉴和政府工作报告，个别数据经过作者换算，可能与原始口径略有差异，特此说明。")
paras, defs, n = [], [], 0
heads = {0: "## 引言", 8: "## 一、概念与特征", 16: "## 二、现实基础", 24: "## 三、路径选择"}
for i in range(30):
    if i in heads:
        paras.append(heads[i])
    s = "，".join(random.choice(SENT) for _ in range(random.randint(4, 12))) + "。"
    if random.random() < 0.85 and n < 25:
        n += 1
        pos = random.randint(len(s) // 2, len(s) - 2)
        s = s[:pos] + f"[^n{n}]" + s[pos:]
        if n % 5 == 0:
            defs.append(f"[^n{n}]: " + LONG * 2)
        elif n % 4 == 0:
            defs.append(f"[^n{n}]: " + "，".join(random.choice(SENT) for _ in range(3)) + "。")
        else:
            defs.append(f"[^n{n}]: " + random.choice(SHORT))
    paras.append(s)
print("---\ntitle: 新质生产力的形成逻辑与实践路径\nauthor: 测试作者\nstudent_id: \"20240001\"\n"
      "school: 某大学经济学院\ncourse: 政治经济学\n---\n\n" + "\n\n".join(paras) + "\n\n" + "\n".join(defs))
